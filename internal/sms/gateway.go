package sms

// An HTTP SMS gateway: most Chinese SMS providers (and the in-house
// gateways that front them) take one POST per message with the phone and
// the text in a body of their own shape, so the body is a template and
// the credential a bearer token, both from the environment.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/template"
	"time"
)

// DefaultTemplate is the gateway body when none is configured.
const DefaultTemplate = `{"phone":{{json .Phone}},"text":{{json .Text}},"purpose":{{json .Purpose}}}`

// Gateway posts each message to URL, the body rendered from a template
// with the message as data ({{json .Phone}}, {{json .Text}}, {{.Purpose}};
// json quotes and escapes a value for a JSON body, urlquery for a form).
type Gateway struct {
	URL         string
	Token       string // sent as Authorization: Bearer TOKEN when set
	ContentType string
	Client      *http.Client
	body        *template.Template
}

// GatewayConfig is what configures a gateway: in the binary,
// HAOCHA_SMS_URL, HAOCHA_SMS_TEMPLATE, HAOCHA_SMS_CONTENT_TYPE and
// HAOCHA_SMS_TOKEN.
type GatewayConfig struct {
	URL, Template, ContentType, Token string
}

// NewGateway checks c and returns its gateway. The template is parsed and
// tried on a sample message, so a broken one fails at start, not at the
// first invitation.
func NewGateway(c GatewayConfig) (*Gateway, error) {
	if !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://") {
		return nil, fmt.Errorf("HAOCHA_SMS_URL: want an http(s) address, got %q", c.URL)
	}
	src := c.Template
	if src == "" {
		src = DefaultTemplate
	}
	t, err := template.New("sms").Option("missingkey=error").Funcs(template.FuncMap{"json": jsonValue}).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("HAOCHA_SMS_TEMPLATE: %w", err)
	}
	g := &Gateway{URL: c.URL, Token: c.Token, ContentType: c.ContentType, body: t,
		Client: &http.Client{Timeout: 10 * time.Second}}
	if g.ContentType == "" {
		g.ContentType = "application/json"
	}
	if _, err := g.render(Message{Phone: "13800000000", Purpose: Invitation, Text: "x"}); err != nil {
		return nil, fmt.Errorf("HAOCHA_SMS_TEMPLATE: %w", err)
	}
	return g, nil
}

func jsonValue(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func (g *Gateway) render(m Message) ([]byte, error) {
	var buf bytes.Buffer
	if err := g.body.Execute(&buf, m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Send posts m; any answer but 2xx is a failure, to be retried.
func (g *Gateway) Send(ctx context.Context, m Message) error {
	body, err := g.render(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", g.ContentType)
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	resp, err := g.Client.Do(req)
	if err != nil {
		// The error names the URL, never the message.
		return fmt.Errorf("sms gateway: %w", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway answered %s", resp.Status)
	}
	return nil
}
