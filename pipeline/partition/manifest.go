package partition

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
)

// ManifestFile describes a published run.
const ManifestFile = "manifest.json"

// Manifest is manifest.json: what a run read, with which config and
// lexicons, what it wrote, and how long each stage took.
type Manifest struct {
	RunDate        string        `json:"run_date"`
	StartedAt      time.Time     `json:"started_at"`
	FinishedAt     time.Time     `json:"finished_at"`
	VocmineVersion string        `json:"vocmine_version"`
	GoVersion      string        `json:"go_version"`
	Config         ConfigInfo    `json:"config"`
	Lexicons       []LexiconInfo `json:"lexicons"`
	LexiconVersion string        `json:"lexicon_version"`
	Inputs         []FileCounts  `json:"inputs"`
	Counts         Counts        `json:"counts"`
	Respondents    int64         `json:"respondents"`
	// Metric is score.metric; Score its headline over all respondents (NPS,
	// CSAT% or the CES mean); NPS is set in NPS runs only.
	Metric   string             `json:"metric"`
	Score    float64            `json:"score"`
	NPS      *float64           `json:"nps,omitempty"`
	Tables   map[string]int64   `json:"tables"`
	Stages   map[string]float64 `json:"stage_seconds"`
	Cache    *CacheStats        `json:"tag_cache,omitempty"`
	Examples *ExampleStats      `json:"lexicon_examples,omitempty"`
}

// ExampleStats count the lexicons' examples run before reading, and those
// that failed (non-zero only with pipeline.Options.AllowFailingExamples).
type ExampleStats struct {
	Total  int `json:"total"`
	Failed int `json:"failed"`
}

// CacheStats count the reasons whose tags came from the cache (hits) or
// were computed (misses).
type CacheStats struct {
	Hits   int64 `json:"hits"`
	Misses int64 `json:"misses"`
}

// ConfigInfo identifies the config: the file and a digest of the effective
// values (file, environment and flags together).
type ConfigInfo struct {
	File   string         `json:"file"`
	SHA256 string         `json:"sha256"`
	Values *config.Config `json:"values"`
}

// LexiconInfo identifies one lexicon file.
type LexiconInfo struct {
	Path    string `json:"path"`
	Name    string `json:"name"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// FileCounts are one input file's counts.
type FileCounts struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// Empty: the file had no header row (zero bytes, or blank), and so no
	// row.
	Empty  bool   `json:"empty,omitempty"`
	Counts Counts `json:"counts"`
}

// Counts account for every input row: read = accepted + rejected +
// duplicates + filtered.
type Counts struct {
	Read       int64 `json:"read"`
	Accepted   int64 `json:"accepted"`
	Rejected   int64 `json:"rejected"`
	Duplicates int64 `json:"duplicates"`
	Filtered   int64 `json:"filtered"`
}

// ErrCountMismatch means rows were lost between reading and writing: a bug.
var ErrCountMismatch = fmt.Errorf("row counts do not reconcile")

// Check is ErrCountMismatch unless every row read is accounted for.
func (c Counts) Check() error {
	if c.Read != c.Accepted+c.Rejected+c.Duplicates+c.Filtered {
		return fmt.Errorf("%w: read %d != accepted %d + rejected %d + duplicates %d + filtered %d",
			ErrCountMismatch, c.Read, c.Accepted, c.Rejected, c.Duplicates, c.Filtered)
	}
	return nil
}

// Add adds o into c.
func (c *Counts) Add(o Counts) {
	c.Read += o.Read
	c.Accepted += o.Accepted
	c.Rejected += o.Rejected
	c.Duplicates += o.Duplicates
	c.Filtered += o.Filtered
}

// Total adds up the files' counts.
func Total(fs []FileCounts) Counts {
	var t Counts
	for _, f := range fs {
		t.Add(f.Counts)
	}
	return t
}

// NewManifest starts the manifest of a run of cfg by vocmine version.
func NewManifest(cfg *config.Config, version string) *Manifest {
	m := &Manifest{
		RunDate: cfg.Date.Format(time.DateOnly), StartedAt: time.Now().UTC(),
		VocmineVersion: version, GoVersion: runtime.Version(),
		Stages: map[string]float64{},
	}
	m.Config.File = cfg.File
	m.Config.Values = cfg
	b, _ := json.Marshal(cfg)
	sum := sha256.Sum256(b)
	m.Config.SHA256 = hex.EncodeToString(sum[:])
	return m
}

// SetLexicons records the merged lexicon's files, with their digests.
func (m *Manifest) SetLexicons(l *lexicon.Lexicon) {
	for _, s := range l.Sources {
		info := LexiconInfo{Path: s.Path, Name: s.Name, Version: s.Version}
		if s.Path == lexicon.BuiltinPath {
			sum := sha256.Sum256([]byte(lexicon.BuiltinYAML()))
			info.SHA256 = hex.EncodeToString(sum[:])
		} else if d, err := FileSHA256(s.Path); err == nil {
			info.SHA256 = d
		}
		m.Lexicons = append(m.Lexicons, info)
	}
}

// FileSHA256 is the hex SHA-256 of a file's contents.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Write writes the manifest as indented JSON and syncs it to disk.
func (m *Manifest) Write(path string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeSynced(path, append(b, '\n'))
}

// ReadManifest reads a published run's manifest.json. Runs from before
// score.metric existed were NPS runs: their Metric is "nps".
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if m.Metric == "" {
		m.Metric = "nps"
	}
	return &m, nil
}
