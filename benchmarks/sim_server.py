"""Child process of benchmark 4: the simulator on loopback HTTP, announcing every arrival.

Prints `READY <url>` once listening, then `ARRIVE <method> <path> <time.monotonic()>` the
moment each request's line and headers have arrived. Customers pay 0.2 s after the push.
"""

from __future__ import annotations

import sys
import threading

from pos_app.clickpesa.simulator import CustomerOutcome, Simulator
from pos_app.clickpesa.simulator_http import SimulatorServer


def main() -> int:
    lock = threading.Lock()

    def arrived(method: str, path: str, at: float) -> None:
        with lock:
            sys.stdout.write(f"ARRIVE {method} {path} {at:.6f}\n")
            sys.stdout.flush()

    sim = Simulator(customer=lambda phone, amount: CustomerOutcome(
        "SUCCESS", 0.2, "Payment received"))
    server = SimulatorServer(sim, on_arrival=arrived)
    print(f"READY {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
