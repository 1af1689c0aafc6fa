"""The hub's channel: frames in number order, early ones held back, gaps let through after a wait."""

import asyncio

from podium.live import hub as hub_module
from podium.live.hub import Channel, Frame


def frame(seq: int) -> Frame:
    return Frame(1, seq, "all", f"id: {seq}\n\n".encode())


def test_frames_come_out_in_order_even_when_they_arrive_out_of_order():
    async def scenario():
        channel = Channel(asyncio.get_running_loop())
        channel.push(frame(1))
        channel.push(frame(3))  # 2 is still committing in another thread
        assert [f.seq for f in channel.since(0)] == [1]
        channel.push(frame(2))
        assert [f.seq for f in channel.since(0)] == [1, 2, 3]
        assert [f.seq for f in channel.since(2)] == [3]
        channel.push(frame(2))  # a repeat (its own frame back from Redis) is ignored
        assert [f.seq for f in channel.since(0)] == [1, 2, 3]

    asyncio.run(scenario())


def test_a_missing_frame_is_given_up_after_a_wait_so_streams_fetch_it(monkeypatch):
    monkeypatch.setattr(hub_module, "REORDER_WAIT", 0.05)

    async def scenario():
        channel = Channel(asyncio.get_running_loop())
        channel.push(frame(1))
        waiter = channel.waiter
        channel.push(frame(3))  # 2 was lost (Redis down when it was published)
        assert not waiter.done()
        await asyncio.sleep(0.1)
        assert waiter.done()  # streams wake, see 1 -> 3, and fetch 2 from the database
        assert [f.seq for f in channel.since(1)] == [3]

    asyncio.run(scenario())
