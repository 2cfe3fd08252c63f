"""The charge lifecycle: send once, reconcile, follow with backoff, recover on start.

Written against small protocols (`Runner`, `Scheduler`) so it runs under tests without Qt; the
window supplies a QThreadPool runner and QTimer scheduler.
"""
