"""Real-time events behind one interface (:class:`Broker`): in-process or Redis pub/sub."""

from staffroom.events.broker import Broker, LocalBroker, Subscription
from staffroom.events.redis_broker import RedisBroker

__all__ = ["Broker", "LocalBroker", "RedisBroker", "Subscription", "create_broker"]


def create_broker(redis_url: str | None) -> Broker:
    """Redis pub/sub when ``redis_url`` is set (several processes), else in-process."""
    return RedisBroker(redis_url) if redis_url else LocalBroker()
