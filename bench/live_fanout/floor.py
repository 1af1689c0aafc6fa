#!/usr/bin/env python
"""The floor of bench/live_fanout.py: a minimal asyncio SSE broadcaster, no framework.

    python bench/live_fanout/floor.py PORT

asyncio.start_server; each request line is read with its headers, nothing else is parsed.
`GET <anything>` gets the SSE response headers (chunked, like uvicorn's) and its StreamWriter
joins a set; the handler then only waits for the connection to end. `POST /publish` with a JSON
body {"text": ...} (keep-alive, Content-Length) numbers the event, encodes the frame once
(`id: <n>\\nevent: question_approved\\ndata: <json>\\n\\n`, the shape of Podium's frames) as one
chunk, and writes those bytes to every writer in a plain loop; then it answers 200.
This is what the machine can do for fan-out in Python: the lower bound for any framework.
"""

import asyncio
import json
import resource
import sys

HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
    b"transfer-encoding: chunked\r\n\r\n"
)
writers: set[asyncio.StreamWriter] = set()
seq = 0


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def publish(body: bytes) -> int:
    global seq
    seq += 1
    text = json.loads(body)["text"]
    payload = json.dumps(
        {"id": seq, "text": text, "status": "approved", "pinned": False, "upvotes": 0, "asker": None, "to": None},
        separators=(",", ":"),
    )
    data = chunk(f"id: {seq}\nevent: question_approved\ndata: {payload}\n\n".encode())
    for writer in writers:
        writer.write(data)
    return len(writers)


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            method, path, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
            if method == b"GET":
                writer.write(HEAD + chunk(b"retry: 2000\n\n"))
                writers.add(writer)
                try:
                    while await reader.read(4096):
                        pass
                finally:
                    writers.discard(writer)
                return
            if method == b"POST" and path == b"/publish":
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                sent = str(publish(body)).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: %d\r\n\r\n%s" % (len(sent), sent)
                )
                continue
            writer.write(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            return
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=2048)
    print(f"floor listening on 127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main(int(sys.argv[1])))
    except KeyboardInterrupt:
        pass
