"""Home timelines behind one interface (:class:`TimelineStore`)."""

from staffroom.timelines.store import FeedEntry, SqlTimelineStore, TimelineStore

__all__ = ["FeedEntry", "SqlTimelineStore", "TimelineStore"]
