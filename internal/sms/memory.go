package sms

import (
	"context"
	"sync"
)

// Memory keeps the messages it is given, as the phones would: for tests
// and for a demo without a gateway.
type Memory struct {
	mu   sync.Mutex
	sent []Message
}

// Send keeps m.
func (o *Memory) Send(_ context.Context, m Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return nil
}

// Sent returns the messages kept so far, oldest first.
func (o *Memory) Sent() []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Message(nil), o.sent...)
}

// Last returns the last message of purpose p sent to phone.
func (o *Memory) Last(phone string, p Purpose) (Message, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.sent) - 1; i >= 0; i-- {
		if o.sent[i].Phone == phone && o.sent[i].Purpose == p {
			return o.sent[i], true
		}
	}
	return Message{}, false
}
