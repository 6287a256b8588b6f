#!/bin/bash
# Stand-in for the official image's bin/kafka-broker-api-versions.sh (its health check).
exec java -Xmx64m -XX:TieredStopAtLevel=1 -Dlog4j.configuration=file:/dev/null -cp '/opt/kafka/libs/*' \
  kafka.admin.BrokerApiVersionsCommand "$@"
