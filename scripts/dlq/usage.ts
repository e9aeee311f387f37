/** What `npm run dlq -- --help` prints. */
export const USAGE = `npm run dlq -- <command> [options]

Reads the dead-letter topics (<topic>.dlq) of payflow and replays their records.

Commands:
  list      per dead-letter topic: records, oldest and newest, error codes with counts
  show      the records with their dlq-* headers, key, event type and value (tokens masked)
  replay    re-publishes the records to the topic they came from, for the consumer group
            that dead-lettered them only: the other groups of the topic pass them over
            (run --dry-run first)
  help      this text (also -h, --help)

Filters (list, show, replay):
  --topic NAME          source topic: its name (payments.initiated), its key
                        (paymentsInitiated), or its dead-letter topic's name
  --payment-id ID       records keyed by this paymentId
  --error-code CODE     records whose dlq-error-code is CODE (e.g. POISON_RECORD)
  --offset RANGE        dead-letter offsets, both ends included: 10..20, 10.., ..20, 15,
                        or one partition's: 2:10..20
  --limit N             at most N records (after the other filters)

Output:
  --json                one JSON object per line instead of text

Replay:
  --dry-run             print what would be replayed; send nothing
  --max-replays N       refuse records already replayed N times; default 3

  Refused, with the reason (counted in the summary, exit status still 0): a dead letter
  replayed already, one past --max-replays, one with no dlq-consumer-group or a source topic
  not of this deployment, and one whose value is not a payment event, whose event type does
  not belong on its source topic, or whose key is not its paymentId.

Environment: KAFKA_BROKERS (default: the local Kafka npm start runs, 127.0.0.1:KAFKA_PORT,
KAFKA_PORT default 9092), KAFKA_TOPIC_PREFIX, KAFKA_SSL, KAFKA_SSL_CA_FILE,
KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD; LOG_LEVEL for Kafka client logs
(default silent).

Exit status: 0 done (refused records included), 1 Kafka or configuration failed or a replay
could not be sent, 2 wrong command or option.
`;
