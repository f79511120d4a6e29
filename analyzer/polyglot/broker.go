package polyglot

import (
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
)

// brokerClients are the substrings of a receiver's origin that make it a
// broker client, with the name evidence gives it.
var brokerClients = []struct{ match, name string }{
	{"kafka", "Kafka"}, {"pika", "RabbitMQ"}, {"amqp", "RabbitMQ"}, {"rabbit", "RabbitMQ"},
	{"jmstemplate", "JMS"}, {"nats", "NATS"}, {"redis", "Redis"},
}

// produceMethods and consumeMethods name the calls that publish to and
// subscribe to a topic, queue or channel.
var (
	produceMethods = map[string]bool{
		"send": true, "send_and_wait": true, "produce": true, "publish": true, "basic_publish": true,
		"convertAndSend": true, "sendToQueue": true, "xadd": true,
	}
	consumeMethods = map[string]bool{
		"subscribe": true, "psubscribe": true, "basic_consume": true, "consume": true, "assign": true,
	}
	// consumerTypes are constructors that take the topics to read.
	consumerTypes = map[string]bool{"KafkaConsumer": true, "AIOKafkaConsumer": true}
	// listenerAnnotations are Java annotations on consumer methods, with
	// the elements that name what they listen to.
	listenerAnnotations = map[string][]string{
		"KafkaListener": {"topics", "value"}, "RabbitListener": {"queues", "value"},
		"JmsListener": {"destination", "value"}, "SqsListener": {"value", "queueNames"},
	}
)

// detectBroker finds producers and consumers of broker topics and queues:
// Kafka (kafka-python, confluent-kafka, aiokafka, kafkajs, Spring Kafka,
// the Java client), RabbitMQ (pika, amqplib, Spring AMQP), JMS, NATS and
// Redis pub/sub.
func detectBroker(d *detection) {
	for _, c := range d.f.Calls {
		d.brokerCall(c)
	}
	for _, dc := range d.f.Decls {
		for _, a := range dc.Decorators {
			fields, ok := listenerAnnotations[a.Name]
			if !ok {
				continue
			}
			for _, f := range fields {
				if v, ok := a.arg(-1, f); ok || f == "value" && len(a.Args) > 0 {
					if !ok {
						v = a.Args[0]
					}
					d.topics(link.Consume, v, a.Line, "@"+a.Name)
					break
				}
			}
		}
	}
}

func (d *detection) brokerCall(c *call) {
	if c.New || c.Recv.Kind == vOther {
		if consumerTypes[c.Name] {
			for _, a := range c.Args {
				d.topics(link.Consume, a, c.Line, c.Name)
			}
			if v, ok := c.Kw["topics"]; ok {
				d.topics(link.Consume, v, c.Line, c.Name)
			}
		}
		return
	}
	name := d.brokerName(c.Recv)
	if name == "" {
		return
	}
	switch {
	case produceMethods[c.Name]:
		d.topics(link.Produce, d.producedTopic(c), c.Line, name+" "+c.Name)
	case consumeMethods[c.Name]:
		v, ok := c.arg(0, "queue")
		if t, isTopics := c.Kw["topics"]; isTopics {
			v, ok = t, true
		}
		if ok {
			d.topics(link.Consume, v, c.Line, name+" "+c.Name)
		}
	}
}

// brokerName names the broker a receiver is a client of, or "".
func (d *detection) brokerName(recv value) string {
	o := strings.ToLower(d.origin(recv))
	if o == "" && recv.Kind == vCall {
		o = strings.ToLower(recv.Call.Name)
	}
	for _, b := range brokerClients {
		if strings.Contains(o, b.match) {
			return b.name
		}
	}
	return ""
}

// producedTopic finds the topic of a produce call: a keyword (topic,
// routing_key, queue), a ProducerRecord's first argument, the routing key
// of convertAndSend(exchange, key, msg) and publish(exchange, key, …), or
// the first argument.
func (d *detection) producedTopic(c *call) value {
	for _, kw := range []string{"topic", "routing_key", "queue", "subject", "channel"} {
		if v, ok := c.Kw[kw]; ok {
			return v
		}
	}
	if len(c.Args) == 0 {
		return value{}
	}
	first := c.Args[0]
	switch {
	case first.Kind == vCall && first.Call.New && len(first.Call.Args) > 0:
		return first.Call.Args[0]
	case (c.Name == "convertAndSend" || c.Name == "publish" && d.brokerName(c.Recv) == "RabbitMQ") && len(c.Args) >= 3:
		return c.Args[1]
	}
	return first
}

// topics records a fact for every topic a value names: a string, a list
// of them, or an object whose topic/topics/queue field does (kafkajs).
func (d *detection) topics(role string, v value, line int, detail string) {
	if v.Kind == vObject {
		for _, f := range []string{"topic", "topics", "queue"} {
			if x, ok := v.Fields[f]; ok {
				d.topics(role, x, line, detail)
			}
		}
		return
	}
	for _, s := range d.strs(v) {
		if s.isString() && s.Str != "" {
			d.fact(role, link.Broker, s.Str, line, detail)
		}
	}
}
