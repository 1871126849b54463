"""The Mastodon-compatible streaming API: server-sent events and one multiplexed WebSocket.

- :mod:`~staffroom.streaming.streams`: stream names (``user``, ``hashtag``...) to broker
  channels, with their scope rules and the events each may carry.
- :mod:`~staffroom.streaming.grants`: who is connecting (token from the header, the query or
  the WebSocket subprotocol).
- :mod:`~staffroom.streaming.filtering`: which viewers may receive an event (one query for
  every viewer the process serves).
- :mod:`~staffroom.streaming.connection`: one client's outbox and its wire format.
- :mod:`~staffroom.streaming.hub`: the per-process router from broker channels to connections,
  with the shared heartbeat and token re-check.
- :mod:`~staffroom.streaming.sse` and :mod:`~staffroom.streaming.websocket`: the transports.
"""
