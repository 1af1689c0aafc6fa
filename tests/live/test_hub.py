"""The hub's channel: frames written to every stream in number order, early ones held back, gaps
filled from the database, slow streams ended rather than buffered for."""

import asyncio

from podium.live import hub as hub_module
from podium.live.hub import Channel, Frame, Hub


def frame(seq: int, audience: str = "all") -> Frame:
    return Frame(1, seq, audience, f"id: {seq}\n\n".encode())


class Sink:
    """A stream's `send`: what the channel wrote to it."""

    def __init__(self):
        self.seqs = []

    async def __call__(self, message):
        if message["body"]:
            self.seqs.append(int(message["body"].split()[1]))


async def until(condition, timeout: float = 5) -> bool:
    """Wait, on the event loop, until `condition()` holds; False if it does not within `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def channel_in(loop) -> Channel:
    hub = Hub()
    hub.loop = loop
    return Channel(hub, 1)


def test_frames_reach_streams_in_order_even_when_they_arrive_out_of_order():
    async def scenario():
        channel = channel_in(asyncio.get_running_loop())
        sink = Sink()
        channel.listen(sink, moderator=False, after=0)
        channel.push(frame(1))
        channel.push(frame(3))  # 2 is still committing in another thread
        assert sink.seqs == [1]
        channel.push(frame(2))
        assert sink.seqs == [1, 2, 3]
        channel.push(frame(2))  # a repeat (its own frame back from Redis) is ignored
        assert sink.seqs == [1, 2, 3]

    asyncio.run(scenario())


def test_a_stream_gets_what_came_between_its_catch_up_and_joining_and_only_its_audience():
    async def scenario():
        channel = channel_in(asyncio.get_running_loop())
        channel.push(frame(1))
        channel.push(frame(2, "moderators"))
        channel.push(frame(3))
        attendee, moderator = Sink(), Sink()
        channel.listen(attendee, moderator=False, after=1)  # its database read saw up to 1
        channel.listen(moderator, moderator=True, after=0)
        channel.push(frame(4, "moderators"))
        channel.push(frame(5))
        assert attendee.seqs == [3, 5]
        assert moderator.seqs == [1, 2, 3, 4, 5]

    asyncio.run(scenario())


def test_a_missing_frame_is_fetched_from_the_database_after_a_wait(monkeypatch):
    monkeypatch.setattr(hub_module, "REORDER_WAIT", 0.05)

    async def scenario():
        channel = channel_in(asyncio.get_running_loop())
        stored = {seq: frame(seq) for seq in range(1, 4)}

        async def reload(event_id, after):
            return [stored[seq] for seq in sorted(stored) if seq > after]

        channel.hub.reload = reload
        sink = Sink()
        channel.listen(sink, moderator=False, after=0)
        channel.push(frame(1))
        channel.push(frame(3))  # 2 was lost (Redis down when it was published)
        assert sink.seqs == [1]
        assert await until(lambda: sink.seqs == [1, 2, 3])  # after the wait, from the database

    asyncio.run(scenario())


def test_a_stream_whose_socket_stays_full_is_ended_not_buffered_for(monkeypatch):
    monkeypatch.setattr(hub_module, "MAX_BEHIND", 3)

    async def scenario():
        writable = asyncio.Event()  # like uvicorn's flow control: send waits while the socket is full
        written = []

        async def send(message):
            await writable.wait()
            written.append(message)

        channel = channel_in(asyncio.get_running_loop())
        listener = channel.listen(send, moderator=False, after=0)
        for seq in range(1, 7):
            channel.push(frame(seq))
        assert listener.ended and listener.behind == 4  # three frames and the end of the response
        writable.set()
        assert await until(lambda: listener.behind == 0)
        assert [m["more_body"] for m in written] == [True, True, True, False]

    asyncio.run(scenario())
