import * as React from "react";
import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
} from "@fluentui/react-components";
import type { DraftSummary } from "../../../dataverse/drafts/DraftRepository";
import type { ReplotRequest } from "../../app/drafts/DraftCommands";
import { formatCount, formatTemplate } from "../../domain/text";
import { usePlanStyles } from "./plan.styles";

export interface ByTerritoryDialogProps {
  open: boolean;
  drafts: readonly DraftSummary[] | null;
  loading: boolean;
  error: string | null;
  busy: boolean;
  getString: (key: string) => string;
  onReplot: (requests: ReplotRequest[]) => void;
  onResume: (draftId: string) => void;
  onRefresh: () => void;
  onClose: () => void;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function when(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

/**
 * "By Territory": the saved drafts (one request) and their territories. Replot a whole draft, or tick territories
 * in one or several drafts and replot them together. Incomplete drafts are offered to resume.
 */
export const ByTerritoryDialog: React.FC<ByTerritoryDialogProps> = (props) => {
  const { open, drafts, loading, error, busy, getString, onReplot, onResume, onRefresh, onClose } = props;
  const styles = usePlanStyles();
  const [chosen, setChosen] = React.useState<Map<string, Set<string>>>(new Map());
  React.useEffect(() => {
    if (open) setChosen(new Map());
  }, [open]);
  const count = [...chosen.values()].reduce((n, s) => n + s.size, 0);

  const toggle = (draftId: string, key: string, on: boolean) =>
    setChosen((c) => {
      const n = new Map(c);
      const s = new Set(n.get(draftId) ?? []);
      if (on) s.add(key);
      else s.delete(key);
      if (s.size) n.set(draftId, s);
      else n.delete(draftId);
      return n;
    });

  const replotChosen = () => {
    const requests: ReplotRequest[] = [];
    for (const d of drafts ?? []) {
      const keys = chosen.get(d.id);
      if (keys?.size) requests.push({ draftId: d.id, keys: d.territories.filter((t) => keys.has(t.key)).map((t) => t.key) });
    }
    onReplot(requests);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        if (!d.open) onClose();
      }}
    >
      <DialogSurface data-testid="by-territory-dialog" className={styles.wide}>
        <DialogBody>
          <DialogTitle>{getString("ByTerritory_Title")}</DialogTitle>
          <DialogContent>
            {loading && <Spinner size="small" label={getString("ByTerritory_Loading")} />}
            {error && (
              <MessageBar layout="multiline" intent="error" data-testid="drafts-error">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
            {drafts && drafts.length === 0 && <div data-testid="drafts-empty">{getString("ByTerritory_Empty")}</div>}
            {drafts && drafts.length > 0 && (
              <ul
                className={styles.list}
                style={{ maxHeight: "60vh" }}
                aria-label={getString("ByTerritory_ListLabel")}
                data-testid="draft-list"
              >
                {drafts.map((d) => {
                  const incomplete = d.saveState !== "complete";
                  return (
                    <li key={d.id} className={styles.draftBlock} data-testid="draft-item" data-draft-id={d.id} data-draft-name={d.name}>
                      <div className={styles.draftHeader}>
                        <strong>{d.name}</strong>
                        <span className={styles.muted}>{formatTemplate(getString("ByTerritory_Version"), d.version)}</span>
                        <Badge
                          appearance="tint"
                          color={d.status === "published" ? "success" : d.status === "partially-published" ? "warning" : "informative"}
                        >
                          {getString(`Status_${d.status}`)}
                        </Badge>
                        {incomplete && (
                          <Badge appearance="filled" color="danger" data-testid="draft-incomplete">
                            {getString("ByTerritory_Incomplete")}
                          </Badge>
                        )}
                        <span className={styles.muted}>
                          {formatTemplate(
                            getString("ByTerritory_Meta"),
                            d.accountCount,
                            d.territories.length,
                            when(d.modifiedOn),
                            d.ownerName ?? "",
                          )}
                        </span>
                        {incomplete ? (
                          <Button
                            size="small"
                            onClick={() => onResume(d.id)}
                            disabled={busy}
                            aria-label={formatTemplate(getString("ByTerritory_ResumeLabel"), d.name)}
                            data-testid="draft-resume"
                          >
                            {getString("ByTerritory_Resume")}
                          </Button>
                        ) : (
                          <Button
                            size="small"
                            appearance="primary"
                            onClick={() => onReplot([{ draftId: d.id }])}
                            disabled={busy}
                            aria-label={formatTemplate(getString("ByTerritory_ReplotLabel"), d.name)}
                            data-testid="draft-replot"
                          >
                            {getString("ByTerritory_Replot")}
                          </Button>
                        )}
                      </div>
                      {!incomplete && d.territories.length > 0 && (
                        <div role="group" aria-label={formatTemplate(getString("ByTerritory_TerritoriesOf"), d.name)}>
                          {d.territories.map((t) => (
                            <Checkbox
                              key={t.key}
                              checked={chosen.get(d.id)?.has(t.key) ?? false}
                              onChange={(_, e) => toggle(d.id, t.key, e.checked === true)}
                              label={`${t.name} (${formatCount(t.accountCount)})`}
                              data-territory-key={t.key}
                            />
                          ))}
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onRefresh} disabled={loading}>
              {getString("ByTerritory_Refresh")}
            </Button>
            <Button onClick={onClose}>{getString("Common_Close")}</Button>
            <Button appearance="primary" disabled={count === 0 || busy} onClick={replotChosen} data-testid="replot-chosen">
              {formatTemplate(getString("ByTerritory_ReplotChosen"), count)}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
