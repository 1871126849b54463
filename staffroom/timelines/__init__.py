"""Home timelines behind one interface (:class:`TimelineStore`)."""

from staffroom.timelines.store import FeedEntry, FeedPage, SqlTimelineStore, TimelineStore

__all__ = ["FeedEntry", "FeedPage", "SqlTimelineStore", "TimelineStore"]
