"""The kernel below the apps: small helpers every app may use (text, …). It imports from no app."""
