"""Malipo POS: a desktop till that charges customers by ClickPesa USSD push."""

__version__ = "0.1.0"
APP_NAME = "pos-app"
