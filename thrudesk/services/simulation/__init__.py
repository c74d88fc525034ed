"""The carrier provisioning simulator (SIMULATION.md)."""
