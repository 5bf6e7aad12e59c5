"""Hidden reference implementations, one module per assignment. Never released to students."""
