// Package config owns complaints.yaml: the typed, documented settings of a run (institution, warehouse,
// sources, policy values, outputs), their defaults in one constructor, and validation whose errors name the
// file, the key, the line and the allowed values. It must not open warehouses or read exports.
package config

import (
	"bytes"
	"complaints/internal/yamlerr"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"complaints/catalog"
	"complaints/ingest/profile"
)

// DefaultFile is the config read when --config is not given and the file exists in the working folder.
const DefaultFile = "complaints.yaml"

// Config is the whole of complaints.yaml. Every field has a default (see Default), so an empty file works.
type Config struct {
	// Institution is the bank's name as it appears on report covers and dashboard headers.
	Institution string `yaml:"institution"`
	// Language of reports and dashboards: zh (default) or en.
	Language string `yaml:"language"`
	// Warehouse settings.
	Warehouse WarehouseConfig `yaml:"warehouse"`
	// OutputDir receives reports and dashboards (relative to the config file's folder).
	OutputDir string `yaml:"output_dir"`
	// Sources are the source profiles: one per export system.
	Sources []profile.Profile `yaml:"sources"`
	// Ingest settings.
	Ingest IngestConfig `yaml:"ingest"`
	// Privacy settings: where the key for customer identifier hashes comes from.
	Privacy PrivacyConfig `yaml:"privacy"`
	// Policy values of domain.md section 4-5; the defaults are the regulation's and the seed procedure's.
	Policy PolicyConfig `yaml:"policy"`
	// CalendarFiles add or correct years of the working-day calendar (holiday-cn JSON shape, one year a file);
	// the built-in schedules come from lunar-go.
	CalendarFiles []string `yaml:"calendar_files"`
	// Denominators for the regulator's bulletin rates (R3); zero means "not given" and the rates are left out.
	Denominators DenominatorConfig `yaml:"denominators"`
	// Branches is the branch master CSV (code,name,aliases,parent,province_code,province_name and optionally
	// valid_from,valid_to,successor), relative to the config file's folder. Normalise maps exported branch texts
	// to codes with it and lists the texts it cannot map; empty (default) keeps branches as exported.
	Branches string `yaml:"branches"`
	// Corrections is the YAML file of manual corrections (reclassify, not_duplicate, duplicate_of, major,
	// extension_approved, not_complaint; each with who, when and why), relative to the config file's folder,
	// applied on every normalise and audited; empty (default) applies none.
	Corrections string `yaml:"corrections"`
	// Taxonomy is a user taxonomy file (the shape of catalog/taxonomy.yaml), relative to the config file's folder,
	// that extends or overrides the built-in catalogue: synonyms and keywords added to codes, labels replaced,
	// codes added to the open dimensions (catalog.UseUserFile has the rules); empty (default) uses the built-in one.
	Taxonomy string `yaml:"taxonomy"`
	// Remediation (CSV or YAML: cause and/or branch, action, owner, status, due) records the actions taken on
	// recurring findings (溯源整改, Art 26); the report's 根因 sheet shows them and marks findings with none.
	Remediation string `yaml:"remediation"`
	// SignOff fills the report cover's sign-off block (填报人, 审核人, 负责人, 联系电话, 填报日期); a key left
	// empty prints a blank line to sign or fill in by hand.
	SignOff SignOffConfig `yaml:"sign_off"`
	// Lake settings of `complaints export --format parquet` (the Parquet lake for the group's data platform).
	Lake LakeConfig `yaml:"lake"`

	// Dir is the folder relative paths are resolved against (the config file's folder); not read from YAML.
	Dir string `yaml:"-"`
	// File is the path the config was read from, "" for built-in defaults; not read from YAML.
	File string `yaml:"-"`
}

// LakeConfig is lake: what the Parquet export carries beyond the keyed, personal-data-free complaints.
type LakeConfig struct {
	// IncludeMasked keeps the masked customer names and phones (张*, 138****5678) in the lake; false (default)
	// leaves them out. Clear names and phones are never in the warehouse, so never in the lake.
	IncludeMasked bool `yaml:"include_masked"`
}

// SignOffConfig is sign_off: the people who prepare, review and answer for a filed workbook, a contact
// telephone and the filing date, as printed on the cover.
type SignOffConfig struct {
	Preparer string `yaml:"preparer"`
	Reviewer string `yaml:"reviewer"`
	Head     string `yaml:"head"`
	Phone    string `yaml:"phone"`
	Date     string `yaml:"date"`
}

// WarehouseConfig holds the DuckDB file and its settings.
type WarehouseConfig struct {
	// Path of the DuckDB file (relative to the config file's folder); --warehouse overrides it.
	Path string `yaml:"path"`
	// Threads DuckDB may use; 0 means all CPUs.
	Threads int `yaml:"threads"`
	// MemoryLimit such as 1GB (default DefaultMemoryLimit).
	MemoryLimit string `yaml:"memory_limit"`
	// TempDirectory for spilling large sorts; empty means "<path>.tmp".
	TempDirectory string `yaml:"temp_directory"`
}

// IngestConfig holds ingest settings.
type IngestConfig struct {
	// MaxRejectRate above which a file is not taken at all (almost always a wrong profile).
	MaxRejectRate float64 `yaml:"max_reject_rate"`
	// Limits bound what one input file may cost to read (profile.Limits); a file over one is refused whole.
	Limits LimitsConfig `yaml:"limits"`
}

// LimitsConfig is ingest.limits: the bounds of profile.Limits, defaults from profile.DefaultLimits.
type LimitsConfig struct {
	MaxFileBytes  ByteSize `yaml:"max_file_bytes"`
	MaxPartBytes  ByteSize `yaml:"max_part_bytes"`
	MaxPartRatio  int64    `yaml:"max_part_ratio"`
	MaxRows       int      `yaml:"max_rows"`
	MaxMergeCells int64    `yaml:"max_merge_cells"`
	MaxCellBytes  ByteSize `yaml:"max_cell_bytes"`
	MaxColumns    int      `yaml:"max_columns"`
	MaxJSONDepth  int      `yaml:"max_json_depth"`
	MaxFieldLines int      `yaml:"max_field_lines"`
}

// DefaultLimitsConfig is profile.DefaultLimits as config values.
func DefaultLimitsConfig() LimitsConfig {
	d := profile.DefaultLimits
	return LimitsConfig{MaxFileBytes: ByteSize(d.MaxFileBytes), MaxPartBytes: ByteSize(d.MaxPartBytes), MaxPartRatio: d.MaxPartRatio,
		MaxRows: d.MaxRows, MaxMergeCells: d.MaxMergeCells, MaxCellBytes: ByteSize(d.MaxCellBytes), MaxColumns: d.MaxColumns,
		MaxJSONDepth: d.MaxJSONDepth, MaxFieldLines: d.MaxFieldLines}
}

// Ingest is the profile.Limits these settings give.
func (l LimitsConfig) Ingest() profile.Limits {
	return profile.Limits{MaxFileBytes: int64(l.MaxFileBytes), MaxPartBytes: int64(l.MaxPartBytes), MaxPartRatio: l.MaxPartRatio,
		MaxRows: l.MaxRows, MaxMergeCells: l.MaxMergeCells, MaxCellBytes: int(l.MaxCellBytes), MaxColumns: l.MaxColumns,
		MaxJSONDepth: l.MaxJSONDepth, MaxFieldLines: l.MaxFieldLines}
}

// Validate says which limit is not a positive number (each must be; leave a key out for its default).
func (l LimitsConfig) Validate() error {
	for _, v := range []struct {
		key string
		n   int64
	}{{"max_file_bytes", int64(l.MaxFileBytes)}, {"max_part_bytes", int64(l.MaxPartBytes)}, {"max_part_ratio", l.MaxPartRatio},
		{"max_rows", int64(l.MaxRows)}, {"max_merge_cells", l.MaxMergeCells}, {"max_cell_bytes", int64(l.MaxCellBytes)},
		{"max_columns", int64(l.MaxColumns)}, {"max_json_depth", int64(l.MaxJSONDepth)}, {"max_field_lines", int64(l.MaxFieldLines)}} {
		if v.n <= 0 {
			return catalog.Errorf("msg_limits_config_positive", "ingest.limits."+v.key, v.n)
		}
	}
	if int64(l.MaxCellBytes) > math.MaxInt32 {
		return catalog.Errorf("msg_limits_config_too_big", "ingest.limits.max_cell_bytes", int64(l.MaxCellBytes), int64(math.MaxInt32))
	}
	return nil
}

// ByteSize is a number of bytes written as a plain number or with a unit, as DuckDB's memory_limit is: B, KB,
// MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 500MB or 8GiB.
type ByteSize int64

// UnmarshalYAML reads a plain number or a size with a unit.
func (b *ByteSize) UnmarshalYAML(data []byte) error {
	n, err := ParseByteSize(strings.Trim(strings.TrimSpace(string(data)), `"'`))
	if err != nil {
		return err
	}
	*b = ByteSize(n)
	return nil
}

// ParseByteSize reads a size such as 1048576, 500MB or 8GiB.
func ParseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult := map[string]float64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[unit]
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || f*mult > math.MaxInt64/2 {
		return 0, catalog.Errorf("msg_limits_config_size", s)
	}
	return int64(f * mult), nil
}

// PrivacyConfig says where the HMAC key comes from and how private the files written are.
type PrivacyConfig struct {
	// KeyEnv names the environment variable holding the HMAC key. There is no built-in key: ingest, run and
	// the inbox refuse to start without it (HMACKey).
	KeyEnv string `yaml:"key_env"`
	// FileMode is the permission of every file written (reports, dashboards, lists, CSV exports, the inbox's
	// notes and moved files, the warehouse): an octal string such as "0600" (default) or "0640".
	FileMode string `yaml:"file_mode"`
}

// DefaultFileMode is the permission of written files when privacy.file_mode is not set.
const DefaultFileMode = "0600"

// Mode is privacy.file_mode as a permission (DefaultFileMode when empty; Validate has checked it).
func (p PrivacyConfig) Mode() os.FileMode {
	m, err := parseFileMode(p.FileMode)
	if err != nil {
		m, _ = parseFileMode(DefaultFileMode)
	}
	return m
}

// parseFileMode reads an octal permission of owner read/write at least and no execute or special bits.
func parseFileMode(s string) (os.FileMode, error) {
	if s == "" {
		s = DefaultFileMode
	}
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil || v&^0o666 != 0 || v&0o600 != 0o600 {
		return 0, fmt.Errorf("privacy.file_mode: %q is not allowed; use an octal permission with owner read and write and no execute bits, such as \"0600\" or \"0640\"", s)
	}
	return os.FileMode(v), nil
}

// PolicyConfig holds the time limits and windows (domain.md sections 4-5).
type PolicyConfig struct {
	// InternalDaysGeneral: working days to reply to a general complaint (seed 第三条: 3).
	InternalDaysGeneral int `yaml:"internal_days_general"`
	// InternalDaysComplex: working days to reply to a complex complaint (seed: 7 to 10; default 10).
	InternalDaysComplex int `yaml:"internal_days_complex"`
	// InternalWarningDays: the warning level for complex complaints (7).
	InternalWarningDays int `yaml:"internal_warning_days"`
	// RegulatoryDays: calendar days to a decision (办法 Art 18: 15).
	RegulatoryDays int `yaml:"regulatory_days"`
	// DuplicateWindowDays: a later record within this many days may be a duplicate (7).
	DuplicateWindowDays int `yaml:"duplicate_window_days"`
	// RepeatWindowDays: 2+ complaints by one customer within this many days make a repeat complainant (90).
	RepeatWindowDays int `yaml:"repeat_window_days"`
	// OnTimeTarget is the on-time rate the dashboards draw as a target line (0.95).
	OnTimeTarget float64 `yaml:"on_time_target"`
}

// DenominatorConfig gives the bank's size for the regulator's rates.
type DenominatorConfig struct {
	// Branches is the number of branches (for complaints per 1,000 branches).
	Branches int `yaml:"branches"`
	// PersonalCustomers is the number of personal customers (for complaints per 10 million customers).
	PersonalCustomers int64 `yaml:"personal_customers"`
	// PersonalCustomersByMonth (YYYY-MM: count) overrides PersonalCustomers for the months it names, so the
	// root-cause u-charts (complaints per 10,000 customers) follow a growing or shrinking customer base.
	PersonalCustomersByMonth map[string]int64 `yaml:"personal_customers_by_month"`
	// PersonalCustomersByBranch (branch code or name: count) gives a branch's own customers; only those branches
	// get u-charts, the others keep c-charts of counts.
	PersonalCustomersByBranch map[string]int64 `yaml:"personal_customers_by_branch"`
}

// DefaultMemoryLimit is DuckDB's memory limit when the config names none. A full normalise of a realistic
// million complaints at 1GB takes about half the memory of 2GB for little more time (docs/performance.md). Raise
// it for much larger warehouses. The process's resident memory exceeds the limit (DuckDB's allocations outside
// its buffer pool, the Go heap).
const DefaultMemoryLimit = "1GB"

// Default returns the built-in configuration.

func Default() *Config {
	return &Config{
		Institution: "示例银行",
		Language:    "zh",
		Warehouse:   WarehouseConfig{Path: "complaints.duckdb", Threads: 0, MemoryLimit: DefaultMemoryLimit},
		OutputDir:   "out",
		Ingest:      IngestConfig{MaxRejectRate: 0.20, Limits: DefaultLimitsConfig()},
		Privacy:     PrivacyConfig{KeyEnv: "COMPLAINTS_HMAC_KEY", FileMode: DefaultFileMode},
		Policy: PolicyConfig{
			InternalDaysGeneral: 3, InternalDaysComplex: 10, InternalWarningDays: 7,
			RegulatoryDays: 15, DuplicateWindowDays: 7, RepeatWindowDays: 90, OnTimeTarget: 0.95,
		},
		Dir: ".",
	}
}

// Load reads a config file over the defaults. Unknown keys are errors naming the key and its line.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := Parse(b, path)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(path)
	c.File = path
	c.Dir = filepath.Dir(abs)
	return c, nil
}

// Parse decodes YAML over the defaults; name is used in error messages.
func Parse(b []byte, name string) (*Config, error) {
	c := Default()
	if len(bytes.TrimSpace(b)) > 0 {
		dec := yaml.NewDecoder(bytes.NewReader(b), yaml.DisallowUnknownField())
		if err := dec.Decode(c); err != nil {
			var m *catalog.Message
			if errors.As(err, &m) { // a value's own sentence (ByteSize)
				return nil, fmt.Errorf("config %s: %w", name, err)
			}
			return nil, fmt.Errorf("config %s: %s", name, explainYAMLError(err))
		}
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	return c, nil
}

// explainYAMLError is a decoding error of complaints.yaml as one line.
func explainYAMLError(err error) string {
	return yamlerr.Line(err, "see complaints.example.yaml for the keys this version knows")
}

// Validate checks values and names the key and the allowed values.
func (c *Config) Validate() error {
	if c.Language != "zh" && c.Language != "en" {
		return fmt.Errorf("language: %q is not allowed; use zh or en", c.Language)
	}
	if c.Ingest.MaxRejectRate < 0 || c.Ingest.MaxRejectRate > 1 {
		return fmt.Errorf("ingest.max_reject_rate: %v is not a rate; use a number from 0 to 1", c.Ingest.MaxRejectRate)
	}
	if err := c.Ingest.Limits.Validate(); err != nil {
		return err
	}
	if c.Privacy.KeyEnv == "" {
		return fmt.Errorf("privacy.key_env: empty; name the environment variable holding the key (such as COMPLAINTS_HMAC_KEY)")
	}
	if _, err := parseFileMode(c.Privacy.FileMode); err != nil {
		return err
	}
	p := c.Policy
	for key, v := range map[string]int{
		"policy.internal_days_general": p.InternalDaysGeneral, "policy.internal_days_complex": p.InternalDaysComplex,
		"policy.internal_warning_days": p.InternalWarningDays, "policy.regulatory_days": p.RegulatoryDays,
		"policy.duplicate_window_days": p.DuplicateWindowDays, "policy.repeat_window_days": p.RepeatWindowDays,
	} {
		if v <= 0 {
			return fmt.Errorf("%s: %d is not allowed; use a positive number of days", key, v)
		}
	}
	for m, n := range c.Denominators.PersonalCustomersByMonth {
		if _, err := time.Parse("2006-01", m); err != nil || n <= 0 {
			return fmt.Errorf("denominators.personal_customers_by_month: %q: %d is not allowed; use YYYY-MM: a positive count", m, n)
		}
	}
	for b, n := range c.Denominators.PersonalCustomersByBranch {
		if n <= 0 {
			return fmt.Errorf("denominators.personal_customers_by_branch: %q: %d is not allowed; use a positive count", b, n)
		}
	}
	seen := map[string]bool{}
	for i, s := range c.Sources {
		if s.Name == "" {
			return fmt.Errorf("sources[%d].name: missing; every source needs a name (it becomes the source system)", i)
		}
		if seen[s.Name] {
			return fmt.Errorf("sources[%d].name: %q is used twice; source names must be unique", i, s.Name)
		}
		seen[s.Name] = true
		for key, list := range map[string][]string{"personal": s.Personal, "not_personal": s.NotPersonal} {
			for _, f := range list {
				if !slices.Contains(profile.KeyableFields, f) {
					return fmt.Errorf("sources[%d].%s: %q is not allowed; use %s (the personal fields customer_* are always keyed)", i, key, f, strings.Join(profile.KeyableFields, " or "))
				}
				if slices.Contains(s.Personal, f) && slices.Contains(s.NotPersonal, f) {
					return fmt.Errorf("sources[%d]: %q is listed both as personal and as not_personal; keep one", i, f)
				}
			}
		}
		if err := s.Check(fmt.Sprintf("sources[%d]", i)); err != nil {
			return err
		}
		switch s.DateOrder {
		case "", "dmy", "mdy", "ymd":
		default:
			return catalog.Errorf("msg_misc_date_order_value", i, s.DateOrder)
		}
		switch s.Format {
		case "", "csv", "tsv", "xlsx", "json", "ndjson", "parquet":
		default:
			return fmt.Errorf("sources[%d].format: %q is not allowed; use csv, tsv, xlsx, json, ndjson or parquet (or leave it out to detect)", i, s.Format)
		}
	}
	return nil
}

// Resolve makes a path from the config relative to the config file's folder.
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// HMACKey returns the key for customer hashes, read from the environment variable privacy.key_env names. It
// fails closed: unset or empty, the error (msg_privacy_no_key) names the variable and there is no fallback.
func (c *Config) HMACKey() ([]byte, error) {
	if c.Privacy.KeyEnv != "" {
		if v := os.Getenv(c.Privacy.KeyEnv); v != "" {
			return []byte(v), nil
		}
	}
	return nil, catalog.Errorf("msg_privacy_no_key", c.Privacy.KeyEnv)
}

// SourceLabels are the sources' labels by name (a source without a label: none).
func (c *Config) SourceLabels() map[string]string {
	out := map[string]string{}
	for _, s := range c.Sources {
		if s.Label != "" {
			out[s.Name] = s.Label
		}
	}
	return out
}
