package verify

// RunPaged is Run reading the published boards in pages of limit members.
var RunPaged = run
