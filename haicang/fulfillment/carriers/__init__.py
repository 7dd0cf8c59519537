"""Carriers behind one interface: :mod:`.base` (the interface, its inputs and outputs, the registry) and
:mod:`.sandbox` (the built-in sandbox carrier). Live carrier APIs are adapters for later (docs/fulfillment.md,
"Carriers and the sandbox carrier")."""
