package app

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/demo"
)

// playDemoAttack adds the demo's labelled fraud mix (--attack) through the
// server's own intake, so that its detectors score it, and logs the
// figures. No text messages: the mix is synthetic.
func playDemoAttack(ctx context.Context, m *Main) error {
	in := *m.Intake
	in.SMS = nil
	o := m.Config.Demo
	o.SignQR = m.Signer.Current
	mix, err := demo.Attack(ctx, m.Store, &in, o)
	if err != nil {
		return fmt.Errorf("demo attack: %w", err)
	}
	f, err := demo.Measure(ctx, m.Store, mix)
	if err != nil {
		return fmt.Errorf("demo attack: %w", err)
	}
	m.Log.Info("demo attacks added", "attack_reviews", f.Attacks, "caught", f.Caught,
		"honest_reviews", f.Honest, "false_positives", f.FalsePositives)
	return nil
}
