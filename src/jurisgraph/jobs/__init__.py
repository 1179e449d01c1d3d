"""Background jobs: the in-process runner and the ``jobs`` table it records them in."""

from jurisgraph.jobs.runner import InProcessJobs, JobFn

__all__ = ["InProcessJobs", "JobFn"]
