"""Real-time events behind one interface (:class:`Broker`): in-process or Redis pub/sub."""

from staffroom.events.broker import Broker, LocalBroker, Subscription

__all__ = ["Broker", "LocalBroker", "Subscription", "create_broker"]


def create_broker(redis_url: str | None) -> Broker:
    """Redis pub/sub when ``redis_url`` is set (several processes), else in-process."""
    if not redis_url:
        return LocalBroker()
    from staffroom import extras

    extras.require(extras.REDIS)
    from staffroom.events.redis_broker import RedisBroker  # only with Redis configured

    return RedisBroker(redis_url)
