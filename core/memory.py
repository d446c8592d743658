"""A memory budget for one piece of work in a long-lived process (a report build in a Celery worker).

`memory_budget(mb)` lets the work inside it grow the process's address space by at most `mb` megabytes: it lowers
the soft `RLIMIT_AS` to the current size plus the budget and puts the old limit back on the way out. Past it an
allocation fails and Python raises `MemoryError` inside the work, which the caller turns into a clear failure;
the process lives on, with its memory given back as the work's objects are freed. A limit on the address space,
not the resident size, is the one the kernel enforces at allocation time (`RLIMIT_RSS` is ignored by Linux).

The worker's `worker_max_memory_per_child` (CELERY_WORKER_MAX_MEMORY_PER_CHILD) is the other half: it replaces a
child whose resident memory stayed high after a task, which the budget alone cannot undo (freed memory is not
always returned to the system).
"""

from __future__ import annotations

import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MEGABYTE = 1024 * 1024
_STATUS = Path("/proc/self/status")


def address_space_bytes() -> int | None:
    """The process's virtual size now (Linux `VmSize`), or None where /proc does not tell it."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def peak_resident_mb() -> float:
    """The process's peak resident memory so far (`ru_maxrss`, kilobytes on Linux), in megabytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def memory_budget(mb: int) -> Iterator[None]:
    """Let the code inside grow the address space by at most `mb` MB; 0 (or no /proc) sets no limit."""
    current = address_space_bytes() if mb > 0 else None
    if current is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + mb * MEGABYTE
    if soft != resource.RLIM_INFINITY:
        limit = min(limit, soft)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
