"""ClickPesa's channel words ("M-PESA", "TIGO-PESA"…) as the shop calls the networks.

ClickPesa names a payment's channel in capitals and has renamed networks (Tigo Pesa became
Mixx by Yas); receipts and reports show the name on the customer's phone. The display names
come from `pos_app.domain.phone.Network`, so they are written once.
"""

from __future__ import annotations

import re

from pos_app.domain.phone import Network

# Keys are ClickPesa's words with everything but letters removed, upper case.
_BY_KEY: dict[str, Network] = {
    **dict.fromkeys(("MPESA", "VODACOM", "VODACOMMPESA", "MPESATZ"), Network.MPESA),
    **dict.fromkeys(("TIGOPESA", "TIGO", "MIXX", "MIXXBYYAS", "YAS", "YASPESA"), Network.MIXX),
    **dict.fromkeys(("AIRTELMONEY", "AIRTEL"), Network.AIRTEL),
    **dict.fromkeys(("HALOPESA", "HALOTEL"), Network.HALOPESA),
}


def channel_name(channel: str) -> str:
    """'M-PESA' -> 'M-Pesa', 'TIGO-PESA' -> 'Mixx by Yas'; an unknown channel is kept as sent
    (trimmed), and an empty one stays empty so the caller can say "not given" in its language.
    """
    text = (channel or "").strip()
    key = re.sub(r"[^A-Z]", "", text.upper())
    network = _BY_KEY.get(key)
    return network.value if network is not None else text
