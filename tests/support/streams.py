"""A browser's EventSource, in short, for tests against a real server: reads frames, remembers the last id."""

import threading


class Reader(threading.Thread):
    def __init__(self, url: str, last: int = 0, cookies: dict | None = None):
        super().__init__(daemon=True)
        self.url, self.last, self.cookies = url, last, cookies or {}
        self.frames: list[dict] = []
        self.closed = threading.Event()

    def run(self):
        import httpx

        headers = {"Last-Event-ID": str(self.last)} if self.last else {}
        try:
            with httpx.stream("GET", self.url, headers=headers, cookies=self.cookies, timeout=None) as response:
                frame: dict = {}
                for line in response.iter_lines():
                    if line.startswith("id: "):
                        frame["id"] = int(line[4:])
                    elif line.startswith("event: "):
                        frame["event"] = line[7:]
                    elif line.startswith("data: "):
                        frame["data"] = line[6:]
                    elif line == "" and "id" in frame:
                        self.frames.append(frame)
                        self.last = frame["id"]
                        frame = {}
        except Exception:
            pass
        finally:
            self.closed.set()

    def ids(self) -> list[int]:
        return [f["id"] for f in self.frames]

    def texts(self, event: str) -> list[str]:
        """The data of every frame of one kind, as sent."""
        return [f["data"] for f in self.frames if f.get("event") == event]
