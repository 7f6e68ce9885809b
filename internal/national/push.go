package national

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"
)

// Push is the state of one day's push to the national platform.
type Push struct {
	Day            string
	Attempts       int
	NextAttempt    time.Time
	LastError      string
	ManifestSHA256 string    // of the manifest acknowledged
	PushedAt       time.Time // zero until acknowledged
}

// Endpoint is where the day's files go: one multipart/form-data POST, a
// part per file named by its file name, the manifest last, with the token
// as a bearer credential. Any answer but 2xx is a failure to retry.
type Endpoint struct {
	URL    string
	Token  string
	Client *http.Client
}

// Send posts e's files and returns the manifest's SHA-256, the receipt
// recorded once the endpoint acknowledges.
func (ep Endpoint) Send(ctx context.Context, e *Export) (string, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, name := range e.Names() {
		part, err := w.CreateFormFile(name, name)
		if err != nil {
			return "", err
		}
		if _, err := part.Write(e.Data[name]); err != nil {
			return "", err
		}
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	sum := sha256.Sum256(e.Data[ManifestName(e.Manifest.Date)])
	receipt := hex.EncodeToString(sum[:])
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, &body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+ep.Token)
	req.Header.Set("X-Haocha-Export-Date", e.Manifest.Date)
	req.Header.Set("X-Haocha-Mapping-Version", e.Manifest.MappingVersion)
	// The same day and data make the same manifest: a retry after a lost
	// answer carries the same key, for the receiver to take it once.
	req.Header.Set("Idempotency-Key", e.Manifest.Date+"-"+receipt[:16])
	c := ep.Client
	if c == nil {
		c = &http.Client{Timeout: time.Minute}
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("national endpoint answered %s", resp.Status)
	}
	return receipt, nil
}
