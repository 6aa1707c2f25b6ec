"""Operating the assistant: start-up, migrations, maintenance commands (no conversation logic here)."""
