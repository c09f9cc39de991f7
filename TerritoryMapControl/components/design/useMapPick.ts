/** One map pick at a time for the design dialogs: the hook that asks the map for a position and returns the focus. */
import * as React from "react";

/** Lets the user click one position on the map (null when cancelled); the map adapter's `pickPoint`. */
export type PickPoint = (options: { signal: AbortSignal; prompt: string }) => Promise<{ latitude: number; longitude: number } | null>;

export interface MapPick {
  /** The pick under way (the dialog steps aside meanwhile), or null. */
  picking: { prompt: string } | null;
  /** Starts a pick; `key` names the button that started it (`data-pick` attribute), which gets the focus back. */
  pick: (key: string, prompt: string, onPicked: (latitude: number, longitude: number) => void) => void;
  cancel: () => void;
  /** The `data-pick` key of the button to focus once the dialog is back, or null. */
  restoreKey: string | null;
  restored: () => void;
}

/**
 * One map pick at a time: Escape anywhere (or the Cancel button of the picking bar) cancels it; unmounting aborts it.
 * The caller hides its dialog while `picking` is set and focuses the `restoreKey` button afterwards.
 */
export function useMapPick(pickPoint: PickPoint | undefined): MapPick {
  const [picking, setPicking] = React.useState<{ prompt: string } | null>(null);
  const [restoreKey, setRestoreKey] = React.useState<string | null>(null);
  const controller = React.useRef<AbortController | null>(null);
  React.useEffect(() => () => controller.current?.abort(), []);
  React.useEffect(() => {
    if (!picking) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation();
      controller.current?.abort();
    };
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, [picking]);
  const pick = React.useCallback(
    (key: string, prompt: string, onPicked: (latitude: number, longitude: number) => void) => {
      if (!pickPoint) return;
      controller.current?.abort();
      const ac = new AbortController();
      controller.current = ac;
      setPicking({ prompt });
      const end = () => {
        if (controller.current !== ac) return;
        controller.current = null;
        setPicking(null);
        setRestoreKey(key);
      };
      pickPoint({ signal: ac.signal, prompt }).then(
        (p) => {
          if (p && !ac.signal.aborted && controller.current === ac) onPicked(p.latitude, p.longitude);
          end();
        },
        () => end(),
      );
    },
    [pickPoint],
  );
  const cancel = React.useCallback(() => controller.current?.abort(), []);
  const restored = React.useCallback(() => setRestoreKey(null), []);
  return { picking, pick, cancel, restoreKey, restored };
}
