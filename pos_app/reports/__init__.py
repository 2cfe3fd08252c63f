"""Shift and day (Z) reports, and reconciliation of the journal with ClickPesa.

`zreport` and `reconcile` are plain Python (no Qt, no I/O) so a CLI, the window or a future shop
server can all use them; `chart` is the one module here that paints with Qt (QtGui only).
Nothing is imported here, so importing the package never loads Qt.
"""
