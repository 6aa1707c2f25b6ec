"""A free local TCP port, for a test server to listen on or for a test that needs nothing listening there
(the launcher's, which the end-to-end servers use too)."""

from ops.launcher import free_port

__all__ = ["free_port"]
