package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// EnvPrefix is the prefix of the environment variables that set config keys:
// output.dir is VOCMINE_OUTPUT_DIR.
const EnvPrefix = "VOCMINE"

// Loader loads a Config. Precedence: a changed flag, then an environment
// variable, then the file, then the default.
type Loader struct {
	// File is the YAML config file; "" reads none.
	File string
	// Flags and FlagKeys bind command-line flags to config keys
	// (flag name -> key); only flags the user set override other sources.
	Flags    *pflag.FlagSet
	FlagKeys map[string]string
	// LookupEnv defaults to os.LookupEnv; tests replace it.
	LookupEnv func(string) (string, bool)
	Date      time.Time
}

// EnvVar returns the environment variable of a config key.
func EnvVar(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// Load reads, merges and validates the configuration. Every error wraps
// ErrInvalid and names the key with the file and line (or the variable or
// flag) it came from.
func (l *Loader) Load() (*Config, error) {
	if l.LookupEnv == nil {
		l.LookupEnv = os.LookupEnv
	}
	v := viper.New()
	for k, d := range defaults {
		v.SetDefault(k, d)
	}
	lines := map[string]int{}
	if l.File != "" {
		data, err := os.ReadFile(l.File)
		if err != nil {
			return nil, fmt.Errorf("%w: reading config: %w", ErrInvalid, err)
		}
		if err := checkKeys(l.File, data, lines); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		v.SetConfigType("yaml")
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, l.File, err)
		}
	}
	// Environment variables, looked up through LookupEnv so tests can set them.
	for k := range defaults {
		if val, ok := l.LookupEnv(EnvVar(k)); ok {
			v.Set(k, val)
		}
	}
	for name, key := range l.FlagKeys {
		if f := l.Flags.Lookup(name); f != nil && f.Changed {
			v.Set(key, f.Value.String())
		}
	}
	cfg := &Config{File: l.File, Date: l.Date}
	if err := v.UnmarshalExact(cfg); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	cfg.Score.fill(func(key string) bool { return l.where(key, lines) != "" })

	// Paths written in the file are relative to the file's folder.
	if l.File != "" {
		dir := filepath.Dir(l.File)
		rel := func(key, p string) string {
			if p == "" || filepath.IsAbs(p) || l.where(key, lines) != fmt.Sprintf("%s:%d", l.File, lines[key]) {
				return p
			}
			return filepath.Join(dir, p)
		}
		cfg.Input.Path = rel("input.path", cfg.Input.Path)
		cfg.Output.Dir = rel("output.dir", cfg.Output.Dir)
		if !strings.EqualFold(strings.TrimSpace(cfg.Alerts.Baseline), BaselinePrevious) { // a misspelt one is left for Validate
			cfg.Alerts.Baseline = rel("alerts.baseline", cfg.Alerts.Baseline)
		}
		for i, p := range cfg.Lexicons {
			cfg.Lexicons[i] = rel("lexicons", p)
		}
	}

	if err := cfg.Validate(); err != nil {
		var msgs []string
		for _, e := range unjoin(err) {
			var ke *KeyError
			if errors.As(e, &ke) {
				ke.Where = l.where(ke.Key, lines)
			}
			msgs = append(msgs, e.Error())
		}
		return nil, fmt.Errorf("%w:\n  %s", ErrInvalid, strings.Join(msgs, "\n  "))
	}
	return cfg, nil
}

// where names the source of a key's value: a changed flag, a variable, or
// the file and line.
func (l *Loader) where(key string, lines map[string]int) string {
	for name, k := range l.FlagKeys {
		if k == key {
			if f := l.Flags.Lookup(name); f != nil && f.Changed {
				return "--" + name
			}
		}
	}
	if _, ok := l.LookupEnv(EnvVar(key)); ok {
		return EnvVar(key)
	}
	if n, ok := lines[key]; ok {
		return fmt.Sprintf("%s:%d", l.File, n)
	}
	return ""
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// checkKeys rejects unknown keys with their line, and records the line of
// every known key in lines.
func checkKeys(file string, data []byte, lines map[string]int) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 {
		return nil // an empty file sets nothing
	}
	known := map[string]bool{}
	for k := range defaults {
		for i := range k {
			if k[i] == '.' {
				known[k[:i]] = true
			}
		}
		known[k] = true
	}
	var errs []error
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		if n.Kind != yaml.MappingNode {
			errs = append(errs, fmt.Errorf("%s:%d: %s must be a mapping of keys", file, n.Line, strings.TrimSuffix(prefix, ".")))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			key := prefix + k.Value
			if !known[key] {
				errs = append(errs, fmt.Errorf("%s:%d: unknown key %q", file, k.Line, key))
				continue
			}
			lines[key] = k.Line
			if _, leaf := defaults[key]; !leaf {
				walk(key+".", val)
			}
		}
	}
	walk("", doc.Content[0])
	return errors.Join(errs...)
}
