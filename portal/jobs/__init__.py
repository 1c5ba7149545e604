"""Background jobs: exports and bulk actions that may outlast a request.

State lives in `clientela_jobs` (models); `service` creates, claims, advances, cancels and
reaps jobs; `tasks` holds the work per kind (in batches); `runner` runs them on RQ (with
`REDIS_URL`) or on a thread of the web process (without); `cli` adds `worker` and
`purge-exports`.
"""
