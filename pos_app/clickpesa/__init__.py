"""ClickPesa's USSD-push API: the gateway the till talks through, and a simulator of it."""
