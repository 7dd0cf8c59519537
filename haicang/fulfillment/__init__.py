"""Warehouse operations: the operator's outbound work — waves, pick lists, packing, labels, shipments, tracking
(docs/fulfillment.md)."""
