"""Durable background work: jobs written in the same transaction as their cause."""

from staffroom.jobs.queue import Job, enqueue
from staffroom.jobs.registry import job_handler

__all__ = ["Job", "enqueue", "job_handler"]
