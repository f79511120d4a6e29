package detect

import (
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer/link"
)

const (
	pkgKafkaGo   = "github.com/segmentio/kafka-go"
	pkgSarama    = "github.com/IBM/sarama"
	pkgSaramaOld = "github.com/Shopify/sarama"
	pkgNATS      = "github.com/nats-io/nats.go"
	pkgAMQP      = "github.com/rabbitmq/amqp091-go"
	pkgAMQPOld   = "github.com/streadway/amqp"
	pkgRedis     = "github.com/redis/go-redis"
	pkgRedisOld  = "github.com/go-redis/redis"
)

// detectBroker recognises producers and consumers of message brokers,
// keyed by topic, subject, queue or channel.
func detectBroker(s *site) {
	switch {
	case s.call == nil:
		brokerFields(s)
	case inPkg(s.pkg, pkgKafkaGo):
		if s.is(pkgKafkaGo, "DialLeader", "") {
			s.topic(link.Produce, s.arg(3), "kafka-go DialLeader")
		}
	case inPkg(s.pkg, pkgSarama), inPkg(s.pkg, pkgSaramaOld):
		sarama(s)
	case inPkg(s.pkg, pkgNATS):
		nats(s)
	case inPkg(s.pkg, pkgAMQP), inPkg(s.pkg, pkgAMQPOld):
		amqp(s)
	case inPkg(s.pkg, pkgRedis), inPkg(s.pkg, pkgRedisOld):
		redisPubSub(s)
	}
}

// brokerFields reads topics set in struct literals.
func brokerFields(s *site) {
	switch {
	case s.stores(pkgKafkaGo, "Writer", "Topic"), s.stores(pkgKafkaGo, "WriterConfig", "Topic"):
		s.topicIfSet(link.Produce, s.val, "kafka-go "+s.structName)
	case s.stores(pkgKafkaGo, "Message", "Topic"):
		s.topicIfSet(link.Produce, s.val, "kafka-go Message")
	case s.stores(pkgKafkaGo, "ReaderConfig", "Topic"):
		s.topicIfSet(link.Consume, s.val, "kafka-go Reader")
	case s.stores(pkgKafkaGo, "ReaderConfig", "GroupTopics"):
		s.topics(link.Consume, s.val, "kafka-go Reader")
	case s.stores(pkgSarama, "ProducerMessage", "Topic"), s.stores(pkgSaramaOld, "ProducerMessage", "Topic"):
		s.topic(link.Produce, s.val, "sarama ProducerMessage")
	}
}

func sarama(s *site) {
	switch s.name {
	case "ConsumePartition":
		s.topic(link.Consume, s.arg(0), "sarama ConsumePartition")
	case "Consume":
		if s.recv == "ConsumerGroup" {
			s.topics(link.Consume, s.arg(1), "sarama ConsumerGroup")
		}
	}
}

func nats(s *site) {
	switch s.name {
	case "Publish", "PublishMsg", "PublishRequest", "Request", "RequestWithContext", "PublishAsync":
		s.topic(link.Produce, s.firstString(), "nats "+s.name)
	case "Subscribe", "SubscribeSync", "QueueSubscribe", "QueueSubscribeSync", "ChanSubscribe", "ChanQueueSubscribe", "PullSubscribe", "QueueSubscribeSyncWithChan":
		s.topic(link.Consume, s.firstString(), "nats "+s.name)
	}
}

func amqp(s *site) {
	if s.recv != "Channel" {
		return
	}
	switch s.name {
	case "Publish", "PublishWithContext", "PublishWithDeferredConfirm", "PublishWithDeferredConfirmWithContext":
		i := 0
		if strings.HasSuffix(s.name, "Context") {
			i = 1
		}
		s.exchangeKey(link.Produce, s.arg(i), s.arg(i+1), "amqp "+s.name)
	case "Consume", "ConsumeWithContext":
		i := 0
		if s.name == "ConsumeWithContext" {
			i = 1
		}
		s.topic(link.Consume, s.arg(i), "amqp "+s.name)
	case "QueueBind":
		s.exchangeKey(link.Consume, s.arg(2), s.arg(1), "amqp QueueBind")
	}
}

// exchangeKey keys AMQP messages by routing key on the default exchange
// (where it names the queue) and by "exchange/key" elsewhere.
func (s *site) exchangeKey(role string, exchange, key ssa.Value, detail string) {
	ex, exact := s.str(exchange)
	if !exact {
		s.unresolved("AMQP exchange", ex)
		return
	}
	k, exact := s.str(key)
	if !exact {
		s.unresolved("AMQP routing key", k)
		return
	}
	if ex != "" {
		k = ex + "/" + k
	}
	s.fact(role, link.Broker, k, detail)
}

func redisPubSub(s *site) {
	switch s.name {
	case "Publish", "SPublish":
		s.topic(link.Produce, s.arg(1), "redis "+s.name)
	case "Subscribe", "PSubscribe", "SSubscribe":
		s.topics(link.Consume, s.arg(1), "redis "+s.name)
	}
}

// firstString returns the first string argument: the subject of NATS
// calls, after a context where there is one.
func (s *site) firstString() ssa.Value {
	for _, a := range s.args {
		if isString(a.Type()) {
			return a
		}
	}
	return nil
}

func (s *site) topic(role string, v ssa.Value, detail string) {
	t, exact := s.str(v)
	if !exact || t == "" {
		s.unresolved("broker topic", t)
		return
	}
	s.fact(role, link.Broker, t, detail)
}

// topicIfSet is topic for struct fields, where an empty constant means
// the field is set elsewhere (kafka.Message{Topic: ""}).
func (s *site) topicIfSet(role string, v ssa.Value, detail string) {
	if t, exact := s.str(v); exact && t == "" {
		return
	}
	s.topic(role, v, detail)
}

// topics records each name of a variadic or slice-literal argument.
func (s *site) topics(role string, v ssa.Value, detail string) {
	for _, t := range s.d.variadic(v, 0) {
		if !t.exact || t.s == "" {
			s.unresolved("broker topic", t.s)
			continue
		}
		s.fact(role, link.Broker, t.s, detail)
	}
}
