"""Events between services: envelope and contracts, outbox/relay, inbox/consumer, buses."""
