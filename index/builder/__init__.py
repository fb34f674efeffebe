"""Producing and moving snapshots: the (incremental) build, publishing to a share and syncing a client copy."""
