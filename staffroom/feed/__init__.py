"""The feed: the one owner of "which timelines get this post" (as Mastodon's FeedManager).

- :mod:`rules`: the pure rules (a list's replies policy, what a followed hashtag brings),
  shared by delivery, rebuilds and the streaming filter.
- :mod:`audience`: for one post, every timeline it enters: the home timelines of the
  author's followers and of people following one of its hashtags, and the lists whose
  members or hashtags match (replies policy, exclusive lists, blocks and mutes).
- :mod:`sources`: the same timelines computed from the database, for rebuilding a timeline
  that was not kept or whose rules changed.
- :mod:`fanout`: writing, removing and rebuilding them through the timeline store
  (``staffroom.timelines``, which knows only how they are kept), and the broker channels of
  each timeline.
"""
