"""The till side of the shop server: enrolment, the per-till secret, the outbox sender."""
