"""Background jobs by kind: the ``jobs`` table, the in-process runner and the Dramatiq queue."""

from jurisgraph.jobs.execution import JobTimings
from jurisgraph.jobs.queue import JobQueue
from jurisgraph.jobs.registry import Waiting, handler
from jurisgraph.jobs.runner import InProcessJobs

__all__ = ["InProcessJobs", "JobQueue", "JobTimings", "Waiting", "handler"]
