"""The ids a command or a request may name."""

# The largest id or offset: the store's integer columns (32 bits on PostgreSQL). Larger numbers
# are refused (a command's usage error, a request's 422) rather than reaching the database.
MAX_ID = 2**31 - 1
