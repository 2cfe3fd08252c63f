"""The window and dialogs: they render the till's state and forward the cashier's intents."""
