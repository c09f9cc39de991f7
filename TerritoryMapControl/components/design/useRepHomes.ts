/** The reps' home bases in the auto-balance form: which reps are chosen, and homes picked on the map or typed. */
import * as React from "react";
import type { BalanceRep } from "../../domain/design/balanceInput";
import { defaultChosenReps, repHome } from "../../domain/design/balanceForm";
import { parseTypedPoint } from "../../domain/design/typedNumbers";

export interface RepHomes {
  /** Ids of the chosen reps. */
  chosen: ReadonlySet<string>;
  /** Home bases picked on the map or typed, by rep id (the rest come from the reps' addresses). */
  homes: ReadonlyMap<string, [number, number]>;
  homeOf: (r: BalanceRep) => [number, number] | null;
  choose: (r: BalanceRep, checked: boolean) => void;
  /** The coordinates in the rep's latitude / longitude boxes: as typed, else the home base. */
  typedText: (r: BalanceRep) => { lat: string; lon: string };
  /** Typing in a coordinate box; a valid position becomes the rep's home base and chooses the rep. */
  typeHome: (r: BalanceRep, field: "lat" | "lon", text: string) => void;
  /** The typed coordinates are not a position. */
  typedInvalid: (r: BalanceRep) => boolean;
  /** A position picked on the map becomes the rep's home base and chooses the rep. */
  picked: (r: BalanceRep, latitude: number, longitude: number) => void;
}

/**
 * The reps who own a territory of the run and have a home base start chosen (when nobody owns one yet: every rep
 * with a home base); managers and other users are offered, not ticked.
 */
export function useRepHomes(reps: readonly BalanceRep[]): RepHomes {
  const [chosen, setChosen] = React.useState<Set<string>>(() => defaultChosenReps(reps));
  const [homes, setHomes] = React.useState<Map<string, [number, number]>>(new Map());
  // Typed home-base coordinates (the keyboard path beside Pick on map): text as typed, per rep
  const [typed, setTyped] = React.useState<Map<string, { lat: string; lon: string }>>(new Map());
  const homeOf = (r: BalanceRep) => repHome(r, homes);
  const typedText = (r: BalanceRep) => {
    const home = homeOf(r);
    return typed.get(r.id) ?? { lat: home ? home[1].toFixed(5) : "", lon: home ? home[0].toFixed(5) : "" };
  };
  const typeHome = (r: BalanceRep, field: "lat" | "lon", text: string) => {
    const next = { ...typedText(r), [field]: text };
    setTyped((t) => new Map(t).set(r.id, next));
    const point = parseTypedPoint(next.lat, next.lon);
    if (point) {
      setHomes((h) => new Map(h).set(r.id, point));
      setChosen((c) => new Set(c).add(r.id));
    }
  };
  const typedInvalid = (r: BalanceRep): boolean => {
    const t = typed.get(r.id);
    return t !== undefined && parseTypedPoint(t.lat, t.lon) === null;
  };
  const choose = (r: BalanceRep, checked: boolean) => {
    const next = new Set(chosen);
    if (checked) next.add(r.id);
    else next.delete(r.id);
    setChosen(next);
  };
  const picked = (r: BalanceRep, latitude: number, longitude: number) => {
    setHomes((h) => new Map(h).set(r.id, [longitude, latitude]));
    setTyped((t) => {
      const next = new Map(t);
      next.delete(r.id);
      return next;
    });
    setChosen((c) => new Set(c).add(r.id));
  };
  return { chosen, homes, homeOf, choose, typedText, typeHome, typedInvalid, picked };
}
