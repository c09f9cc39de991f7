import * as React from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  Option,
  Textarea,
} from "@fluentui/react-components";
import {
  parsePostalCodeList,
  type PostalCodeGroupResult,
  type PostalCodeImportResult,
  type PostalCodeIssue,
  type PostalCodeParse,
} from "../../domain/design/postalCodes";
import type { Totals } from "../../domain/accountTable";
import { formatTemplate } from "../../domain/text";
import { useDesignStyles } from "./design.styles";
import { formatMeasure } from "./format";

export interface PostalCodeImportDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  territories: readonly { id: string; name: string }[];
  measureLabels: readonly string[];
  /** Accounts matching each code (e.g. PostalCodeIndex + totalsOf): count and measure totals. */
  codeTotals: (code: string) => Totals;
  onApply: (result: PostalCodeImportResult) => void;
  getString: (key: string) => string;
}

const NEW = "\u0000new";
/** Preview rows rendered (the rest are counted). */
export const POSTAL_PREVIEW_LIMIT = 500;

function issueText(issue: PostalCodeIssue, getString: (key: string) => string): string {
  const camel = issue.kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const key = `Postal_Issue_${camel[0].toUpperCase()}${camel.slice(1)}`;
  return formatTemplate(getString(key), String(issue.line), issue.code ?? "", String(issue.otherLine ?? issue.suggestion ?? ""));
}

/** Reads a File as text (FileReader: works in every browser Dynamics supports, and in jsdom). */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ""));
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.readAsText(file);
  });
}

/**
 * Postal-code lists → territories: paste or import a CSV/TXT file ("code" or "code,territory" per line), preview
 * every line's errors and warnings and the accounts each code brings, then apply. Lines naming a territory that
 * does not exist create it (shown as new in the preview); lines without a territory go to the chosen default.
 */
export const PostalCodeImportDialog: React.FC<PostalCodeImportDialogProps> = (props) => {
  const { open, onOpenChange, territories, measureLabels, codeTotals, onApply, getString } = props;
  const styles = useDesignStyles();
  const [text, setText] = React.useState("");
  const [fileName, setFileName] = React.useState<string | null>(null);
  const [fileError, setFileError] = React.useState<string | null>(null);
  const [target, setTarget] = React.useState<string | null>(null);
  const [newName, setNewName] = React.useState("");
  const [parsed, setParsed] = React.useState<PostalCodeParse | null>(null);
  const fileInput = React.useRef<HTMLInputElement>(null);

  React.useEffect(() => {
    if (!open) {
      setParsed(null);
      setText("");
      setFileName(null);
      setFileError(null);
    }
  }, [open]);

  const byName = React.useMemo(() => new Map(territories.map((t) => [t.name.trim().toLowerCase(), t])), [territories]);
  const needsDefault = parsed !== null && parsed.entries.some((e) => e.territory === null);
  const defaultOk = !needsDefault || (target !== null && (target !== NEW || newName.trim() !== ""));

  const onFile = async (ev: React.ChangeEvent<HTMLInputElement>) => {
    const file = ev.target.files?.[0];
    if (!file) return;
    try {
      setText(await readText(file));
      setFileName(file.name);
      setFileError(null);
      setParsed(null);
    } catch {
      setFileError(formatTemplate(getString("Postal_FileError"), file.name));
    }
  };

  const rows = React.useMemo(() => {
    if (!parsed) return [];
    return parsed.entries.map((e) => {
      const existing = e.territory === null ? null : byName.get(e.territory.toLowerCase());
      const territoryLabel =
        e.territory === null
          ? target === NEW
            ? formatTemplate(getString("Postal_NewTerritory"), newName.trim())
            : (territories.find((t) => t.id === target)?.name ?? getString("Postal_NoTerritoryChosen"))
          : existing
            ? existing.name
            : formatTemplate(getString("Postal_NewTerritory"), e.territory);
      return { entry: e, territoryLabel, totals: codeTotals(e.code) };
    });
  }, [parsed, byName, target, newName, territories, codeTotals, getString]);

  const accountsTotal = rows.reduce((s, r) => s + r.totals.count, 0);
  const errors = parsed ? parsed.issues.filter((i) => i.severity === "error") : [];
  const warnings = parsed ? parsed.issues.filter((i) => i.severity === "warning") : [];

  const apply = () => {
    if (!parsed) return;
    const groups = new Map<string, PostalCodeGroupResult>();
    for (const e of parsed.entries) {
      let territoryId: string | null = null;
      let newTerritoryName: string | null = null;
      if (e.territory === null) {
        if (target === NEW) newTerritoryName = newName.trim();
        else territoryId = target;
      } else {
        const existing = byName.get(e.territory.toLowerCase());
        if (existing) territoryId = existing.id;
        else newTerritoryName = e.territory;
      }
      const key = territoryId ?? `new:${(newTerritoryName ?? "").toLowerCase()}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { territoryId, newTerritoryName, codes: [] }));
      g.codes.push(e.code);
    }
    onApply({ groups: [...groups.values()], skippedLines: errors.length });
    onOpenChange(false);
  };

  const targetLabel = target === NEW ? getString("Postal_NewTerritoryOption") : (territories.find((t) => t.id === target)?.name ?? "");

  return (
    <Dialog open={open} onOpenChange={(_, d) => onOpenChange(d.open)}>
      <DialogSurface data-testid="postal-dialog" aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{getString("Postal_Title")}</DialogTitle>
          <DialogContent className={styles.form}>
            {parsed === null ? (
              <>
                <Field label={getString("Postal_PasteLabel")} hint={getString("Postal_PasteHint")}>
                  <Textarea
                    className={styles.textarea}
                    value={text}
                    onChange={(_, d) => setText(d.value)}
                    resize="vertical"
                    data-testid="postal-text"
                  />
                </Field>
                <div className={styles.inline}>
                  <input
                    ref={fileInput}
                    type="file"
                    accept=".csv,.txt,text/csv,text/plain"
                    aria-label={getString("Postal_FileLabel")}
                    style={{ display: "none" }}
                    onChange={(ev) => void onFile(ev)}
                    data-testid="postal-file"
                  />
                  <Button onClick={() => fileInput.current?.click()}>{getString("Postal_ChooseFile")}</Button>
                  {fileName && <span>{formatTemplate(getString("Postal_FileLoaded"), fileName)}</span>}
                  {fileError && (
                    <span role="alert" className={styles.error}>
                      {fileError}
                    </span>
                  )}
                </div>
              </>
            ) : (
              <>
                <div aria-live="polite" data-testid="postal-summary">
                  {formatTemplate(getString("Postal_Summary"), parsed.entries.length, accountsTotal, errors.length, warnings.length)}
                  {parsed.headerLine !== null && ` · ${formatTemplate(getString("Postal_HeaderSkipped"), String(parsed.headerLine))}`}
                  {parsed.blankLines > 0 && ` · ${formatTemplate(getString("Postal_BlankLines"), parsed.blankLines)}`}
                </div>
                {parsed.issues.length > 0 && (
                  <ul className={styles.list} aria-label={getString("Postal_IssuesLabel")} data-testid="postal-issues">
                    {parsed.issues.map((i, k) => (
                      <li
                        key={k}
                        className={i.severity === "error" ? styles.error : styles.warning}
                        data-severity={i.severity}
                        data-line={i.line}
                      >
                        {`${getString(i.severity === "error" ? "Postal_Error" : "Postal_Warning")}: ${issueText(i, getString)}`}
                      </li>
                    ))}
                  </ul>
                )}
                {needsDefault && (
                  <div className={styles.inline}>
                    <Field label={getString("Postal_DefaultTerritory")} required>
                      <Dropdown
                        aria-label={getString("Postal_DefaultTerritory")}
                        value={targetLabel}
                        selectedOptions={target ? [target] : []}
                        onOptionSelect={(_, d) => setTarget(d.optionValue ?? null)}
                        data-testid="postal-target"
                      >
                        {territories.map((t) => (
                          <Option key={t.id} value={t.id}>
                            {t.name}
                          </Option>
                        ))}
                        <Option value={NEW}>{getString("Postal_NewTerritoryOption")}</Option>
                      </Dropdown>
                    </Field>
                    {target === NEW && (
                      <Field label={getString("Postal_NewTerritoryName")} required>
                        <Input value={newName} onChange={(_, d) => setNewName(d.value)} data-testid="postal-new-name" />
                      </Field>
                    )}
                  </div>
                )}
                <div className={styles.scroll}>
                  <table className={styles.table} aria-label={getString("Postal_PreviewLabel")} data-testid="postal-preview">
                    <thead>
                      <tr>
                        <th scope="col">{getString("Postal_ColCode")}</th>
                        <th scope="col">{getString("Postal_ColTerritory")}</th>
                        <th scope="col" className={styles.numberCell}>
                          {getString("Postal_ColAccounts")}
                        </th>
                        {measureLabels.map((m) => (
                          <th scope="col" key={m} className={styles.numberCell}>
                            {m}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {rows.slice(0, POSTAL_PREVIEW_LIMIT).map((r) => (
                        <tr key={r.entry.key} data-testid="postal-row">
                          <td>{r.entry.code}</td>
                          <td>{r.territoryLabel}</td>
                          <td className={styles.numberCell}>{formatMeasure(r.totals.count)}</td>
                          {measureLabels.map((m, i) => (
                            <td key={m} className={styles.numberCell}>
                              {formatMeasure(r.totals.values[i] ?? 0)}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {rows.length > POSTAL_PREVIEW_LIMIT && (
                    <div>{formatTemplate(getString("Unplaced_More"), rows.length - POSTAL_PREVIEW_LIMIT)}</div>
                  )}
                </div>
              </>
            )}
          </DialogContent>
          <DialogActions>
            {parsed === null ? (
              <Button appearance="primary" disabled={text.trim() === ""} onClick={() => setParsed(parsePostalCodeList(text))}>
                {getString("Postal_Preview")}
              </Button>
            ) : (
              <>
                <Button onClick={() => setParsed(null)}>{getString("Common_Back")}</Button>
                <Button appearance="primary" disabled={parsed.entries.length === 0 || !defaultOk} onClick={apply}>
                  {formatTemplate(getString("Postal_Apply"), parsed.entries.length)}
                </Button>
              </>
            )}
            <Button onClick={() => onOpenChange(false)}>{getString("Common_Cancel")}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
