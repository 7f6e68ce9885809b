package device

import "sync"

// Hub wakes the devices of a workstation connected to this process when
// something for them happened here (a transaction reported, an
// invitation), so that they look at once rather than at their next poll.
// Other processes' news reaches them by that poll.
type Hub struct {
	mu     sync.Mutex
	subs   map[string]map[chan struct{}]struct{}
	once   sync.Once
	closed chan struct{}
}

// Done is closed when the server shuts down: streams end then, rather
// than hold the shutdown for its whole drain.
func (h *Hub) Done() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed == nil {
		h.closed = make(chan struct{})
	}
	return h.closed
}

// Close closes Done; closing twice is fine.
func (h *Hub) Close() {
	h.Done()
	h.once.Do(func() { close(h.closed) })
}

// Subscribe returns a channel that receives when workstation is woken,
// and the function that ends the subscription.
func (h *Hub) Subscribe(workstation string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[string]map[chan struct{}]struct{}{}
	}
	if h.subs[workstation] == nil {
		h.subs[workstation] = map[chan struct{}]struct{}{}
	}
	h.subs[workstation][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[workstation], ch)
		if len(h.subs[workstation]) == 0 {
			delete(h.subs, workstation)
		}
		h.mu.Unlock()
	}
}

// Wake tells the subscribers of each workstation to look again. It never
// blocks: a subscriber already told is not told twice.
func (h *Hub) Wake(workstations ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, w := range workstations {
		for ch := range h.subs[w] {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}
