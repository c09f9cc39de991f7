import * as React from "react";
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  mergeClasses,
  useArrowNavigationGroup,
} from "@fluentui/react-components";
import type { TerritoryRow } from "../../domain/workspace";
import { ACCOUNTS } from "../../domain/workspace";
import { formatCount, formatTemplate } from "../../domain/text";
import { usePlanStyles } from "./plan.styles";
import { visibleTreeRows } from "./territoryTree";

export type SortColumn = "name" | "rep" | "accounts" | "revenue" | "workload" | "balance";

export interface CardRow extends TerritoryRow {
  repName: string;
}

export interface TerritoryTableProps {
  rows: readonly CardRow[];
  /** The plan's measure names (order of TerritoryRow.values). */
  measures: readonly string[];
  /** Measure used as "revenue" / "workload" (null when the control has no such measure). */
  revenueMeasure: string | null;
  workloadMeasure: string | null;
  selectedKey: string | null;
  onSelect: (key: string) => void;
  unassigned: number;
  getString: (key: string) => string;
}

const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** Total of `measure` ("accounts" or a measure name) in a row; `measures` = the plan's measure order. */
export function valueOf(row: TerritoryRow, measure: string | null, measures: readonly string[]): number {
  if (!measure) return 0;
  if (measure === ACCOUNTS) return row.accounts;
  const j = measures.indexOf(measure);
  return j >= 0 ? (row.values[j] ?? 0) : 0;
}

/** Measure the balance bar shows: workload, else revenue, else the account count. */
export function balanceMeasure(revenue: string | null, workload: string | null): string {
  return workload ?? revenue ?? ACCOUNTS;
}

/** The balance bar: total against the target (the target sits in the middle), with its value as text. */
export const BalanceBar: React.FC<{ ratio: number; label: string }> = ({ ratio, label }) => {
  const styles = usePlanStyles();
  const dev = Math.abs(ratio - 1);
  const color = dev <= 0.1 ? "#107c10" : dev <= 0.25 ? "#c19c00" : "#d13438";
  const width = `${Math.max(0, Math.min(1, ratio / 2)) * 100}%`;
  return (
    <div data-testid="balance" data-ratio={ratio.toFixed(3)}>
      <div className={styles.bar} aria-hidden="true">
        <div className={styles.barFill} style={{ width, backgroundColor: color }} />
        <div className={styles.barTarget} />
      </div>
      <span className={styles.barText}>{label}</span>
    </div>
  );
};

/** Sortable, keyboard-navigable territory list (arrow keys move between rows, Enter/Space selects). */
export const TerritoryTable: React.FC<TerritoryTableProps> = React.memo((props) => {
  const { rows, measures, revenueMeasure, workloadMeasure, selectedKey, onSelect, getString } = props;
  const styles = usePlanStyles();
  const [sort, setSort] = React.useState<{ column: SortColumn; direction: "ascending" | "descending" }>({
    column: "name",
    direction: "ascending",
  });
  const navigation = useArrowNavigationGroup({ axis: "vertical", memorizeCurrent: true });
  const balanceOf = balanceMeasure(revenueMeasure, workloadMeasure);
  const [collapsed, setCollapsed] = React.useState<ReadonlySet<string>>(() => new Set());
  const childCount = React.useMemo(() => {
    const m = new Map<string, number>();
    for (const r of rows) if (r.parentKey !== null) m.set(r.parentKey, (m.get(r.parentKey) ?? 0) + 1);
    return m;
  }, [rows]);
  const setExpanded = (key: string, expanded: boolean) =>
    setCollapsed((c) => {
      if (expanded === !c.has(key)) return c;
      const next = new Set(c);
      if (expanded) next.delete(key);
      else next.add(key);
      return next;
    });

  const sorted = React.useMemo(() => {
    const key = (r: CardRow): string | number => {
      switch (sort.column) {
        case "name":
          return r.name.toLowerCase();
        case "rep":
          return r.repName.toLowerCase();
        case "accounts":
          return r.accounts;
        case "revenue":
          return valueOf(r, revenueMeasure, measures);
        case "workload":
          return valueOf(r, workloadMeasure, measures);
        case "balance":
          return r.deviation[balanceOf] ?? 0;
        default:
          return 0;
      }
    };
    const dir = sort.direction === "ascending" ? 1 : -1;
    return visibleTreeRows(
      rows,
      (a, b) => {
        const x = key(a);
        const y = key(b);
        const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return c * dir || a.name.localeCompare(b.name);
      },
      collapsed,
    );
  }, [rows, measures, sort, revenueMeasure, workloadMeasure, balanceOf, collapsed]);

  const header = (column: SortColumn, label: string, numeric = false) => (
    <TableHeaderCell
      key={column}
      sortable
      sortDirection={sort.column === column ? sort.direction : undefined}
      onClick={() =>
        setSort((s) => ({ column, direction: s.column === column && s.direction === "ascending" ? "descending" : "ascending" }))
      }
      className={numeric ? styles.numCell : column === "name" ? styles.nameCell : undefined}
      data-testid={`sort-${column}`}
    >
      {label}
    </TableHeaderCell>
  );

  return (
    <div className={styles.tableWrap}>
      <Table size="small" className={styles.table} aria-label={getString("Card_TableLabel")} data-testid="territory-table" sortable>
        <TableHeader>
          <TableRow>
            {header("name", getString("Card_ColTerritory"))}
            {header("accounts", getString("Card_ColAccounts"), true)}
            {revenueMeasure && header("revenue", getString("Card_ColRevenue"), true)}
            {workloadMeasure && header("workload", getString("Card_ColWorkload"), true)}
            {header("balance", getString("Card_ColBalance"))}
          </TableRow>
        </TableHeader>
        <TableBody {...navigation}>
          {sorted.map((r) => {
            const selected = r.key === selectedKey;
            const target = r.target[balanceOf] ?? 0;
            const total = valueOf(r, balanceOf, measures);
            const ratio = target ? total / target : 0;
            const balanceLabel = formatTemplate(getString("Card_BalanceText"), percent.format(ratio * 100));
            const workloadTarget = workloadMeasure ? (r.target[workloadMeasure] ?? 0) : 0;
            const isParent = !r.leaf;
            const expanded = isParent ? !collapsed.has(r.key) : undefined;
            const detail = isParent
              ? [
                  formatTemplate(getString("Card_RegionTerritories"), childCount.get(r.key) ?? 0),
                  ...(r.direct > 0 ? [formatTemplate(getString("Card_WithoutRepTerritory"), formatCount(r.direct))] : []),
                ].join(" · ")
              : r.repName;
            return (
              <TableRow
                key={r.key}
                tabIndex={0}
                className={mergeClasses(styles.row, selected && styles.selected, isParent && styles.parentRow)}
                aria-selected={selected}
                aria-level={r.depth + 1}
                aria-expanded={expanded}
                onClick={() => onSelect(r.key)}
                onKeyDown={(e: React.KeyboardEvent) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    onSelect(r.key);
                  } else if (isParent && (e.key === "ArrowRight" || e.key === "ArrowLeft")) {
                    e.preventDefault();
                    setExpanded(r.key, e.key === "ArrowRight");
                  }
                }}
                data-testid="territory-row"
                data-territory-key={r.key}
                data-count={r.accounts}
                data-own={r.leaf ? r.accounts : r.direct}
                data-depth={r.depth}
                data-parent={isParent ? "true" : "false"}
              >
                <TableCell className={styles.nameCell}>
                  <span className={styles.nameText} title={r.name} style={{ paddingLeft: `${r.depth * 14}px` }}>
                    {isParent && (
                      <button
                        type="button"
                        className={styles.expander}
                        tabIndex={-1}
                        aria-label={formatTemplate(getString(expanded ? "Card_Collapse" : "Card_Expand"), r.name)}
                        onClick={(e) => {
                          e.stopPropagation();
                          setExpanded(r.key, !expanded);
                        }}
                        data-testid="territory-expander"
                      >
                        {expanded ? "\u25BE" : "\u25B8"}
                      </button>
                    )}
                    <span className={styles.swatch} style={{ backgroundColor: r.color }} aria-hidden="true" />
                    {r.name}
                  </span>
                  <span className={styles.rep} style={{ paddingLeft: `${r.depth * 14}px` }} title={detail}>
                    {detail}
                  </span>
                </TableCell>
                <TableCell className={styles.numCell}>{formatCount(r.accounts)}</TableCell>
                {revenueMeasure && <TableCell className={styles.numCell}>{compact.format(valueOf(r, revenueMeasure, measures))}</TableCell>}
                {workloadMeasure && (
                  <TableCell className={styles.numCell}>
                    {formatTemplate(
                      getString("Card_OfTarget"),
                      compact.format(valueOf(r, workloadMeasure, measures)),
                      compact.format(workloadTarget),
                    )}
                  </TableCell>
                )}
                <TableCell>
                  <BalanceBar ratio={ratio} label={balanceLabel} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {props.unassigned > 0 && (
        <div className={styles.muted} data-testid="unassigned-count" data-count={props.unassigned}>
          {formatTemplate(getString("Card_Unassigned"), props.unassigned)}
        </div>
      )}
    </div>
  );
});
TerritoryTable.displayName = "TerritoryTable";
