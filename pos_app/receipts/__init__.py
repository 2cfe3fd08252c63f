"""Payment confirmations for the customer: text lines, QR code, ESC/POS printing and PDF.

`receipt` and `qr` are plain Python; `escpos` talks to a network thermal printer (blocking: run
it on a worker); `pdf` paints with Qt (QtGui only). Nothing is imported here, so importing the
package never loads Qt or python-escpos.
"""
