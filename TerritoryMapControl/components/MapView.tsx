import * as React from "react";
import { MapAdapter, type PopupLabels } from "../adapters/map/MapAdapter";
import type { TerritoryColors } from "../domain/palette";
import { useMapViewStyles } from "./MapView.styles";

export interface MapViewProps {
  /** Azure Maps key; null = offline basemap. The map is created once this is known (not undefined). */
  subscriptionKey: string | null | undefined;
  center: { latitude: number; longitude: number };
  zoom: number;
  colors: TerritoryColors;
  labels: PopupLabels;
  territoryName: (territoryId: string | null) => string;
  /** Accessible name of the map region. */
  ariaLabel: string;
  /** Called with the adapter once created, with null on unmount. */
  onAdapter: (adapter: MapAdapter | null) => void;
  /** Called when the map cannot be created (e.g. no WebGL). */
  onMapError: (error: unknown) => void;
  /** Allocated size; a change triggers a resize (the container's ResizeObserver covers the rest). */
  width: number;
  height: number;
}

/** Hosts the map adapter in a div; owns its lifetime (created when the key is known, disposed on unmount). */
export const MapView: React.FC<MapViewProps> = React.memo((props) => {
  const styles = useMapViewStyles();
  const containerRef = React.useRef<HTMLDivElement>(null);
  const adapterRef = React.useRef<MapAdapter | null>(null);
  const { subscriptionKey, onAdapter, onMapError } = props;
  // Camera, labels and lookups are read once at creation: later changes must not rebuild the map.
  const initial = React.useRef(props);

  React.useEffect(() => {
    const container = containerRef.current;
    if (subscriptionKey === undefined || !container) return undefined;
    let adapter: MapAdapter;
    try {
      const p = initial.current;
      adapter = new MapAdapter({
        container,
        subscriptionKey,
        center: p.center,
        zoom: p.zoom,
        colors: p.colors,
        labels: p.labels,
        territoryName: p.territoryName,
      });
    } catch (error) {
      onMapError(error);
      return undefined;
    }
    adapterRef.current = adapter;
    onAdapter(adapter);
    return () => {
      adapterRef.current = null;
      onAdapter(null);
      adapter.dispose();
    };
  }, [subscriptionKey, onAdapter, onMapError]);

  React.useEffect(() => {
    adapterRef.current?.resize();
  }, [props.width, props.height]);

  return <div ref={containerRef} className={styles.map} role="region" aria-label={props.ariaLabel} data-testid="map" />;
});
MapView.displayName = "MapView";
