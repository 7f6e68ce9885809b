// Package sms sends text messages to citizens: the private follow-up link
// of a bad review, the code that confirms a work-order look-up, and (from
// the transactions work) rating invitations. A gateway implements Sender;
// Log, the default, writes to the log what was sent and to whom, masked,
// never the text: the text carries secrets (links, codes).
package sms

import (
	"context"
	"log/slog"
	"strings"
)

// Purpose says why a message is sent; the log and metrics name it instead
// of the text.
type Purpose string

// Purposes.
const (
	FollowLink Purpose = "follow_link" // the private link to a work order
	FollowCode Purpose = "follow_code" // the code that confirms a look-up
	SignInCode Purpose = "signin_code" // the code a citizen signs in with
	Invitation Purpose = "invitation"  // an invitation to rate a transaction
	Reminder   Purpose = "reminder"    // the reminder before its window closes
)

// Message is one text message.
type Message struct {
	Phone   string // normalized: digits only
	Purpose Purpose
	Text    string
}

// Sender sends one message; an error means it was not sent.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Log is the Sender used until a gateway is configured: it logs that a
// message of its purpose went to a masked phone.
type Log struct{ Log *slog.Logger }

// Send logs m without its text or the whole phone.
func (l Log) Send(ctx context.Context, m Message) error {
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "sms sent", "purpose", string(m.Purpose), "to", Mask(m.Phone), "chars", len([]rune(m.Text)))
	return nil
}

// Mask keeps the first three and last two digits of a phone.
func Mask(phone string) string {
	if len(phone) < 7 {
		return "****"
	}
	return phone[:3] + strings.Repeat("*", len(phone)-5) + phone[len(phone)-2:]
}
