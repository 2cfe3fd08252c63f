"""The till's domain: money, phone numbers, order references and attempt states.

Plain Python only — no Qt, no httpx, no sqlite — so it can be tested hard and reused by any
front end.
"""
