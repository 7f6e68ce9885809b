package qr

import "testing"

// FuzzToken checks the workstation tokens printed in QR codes: a token
// signed for a workstation verifies for it, and a token verifies only if it
// is exactly the one signed, so no edited, re-encoded or borrowed token is
// taken at /r/{workstation}.
func FuzzToken(f *testing.F) {
	s := mustSigner(f, "0123456789abcdef0123456789abcdef")
	f.Add("H310101-00-W01-01", s.Sign("H310101-00-W01-01"))
	f.Add("H310101-00-W01-01", s.Sign("H310101-00-W01-02"))
	f.Add("H1-W1-1", "AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, workstation, token string) {
		want := s.Sign(workstation)
		if !s.Verify(workstation, want) {
			t.Fatalf("the token signed for %q does not verify", workstation)
		}
		if s.Verify(workstation, token) && token != want {
			t.Fatalf("token %q verifies for %q, but the signed one is %q", token, workstation, want)
		}
	})
}
