import {Box, Text} from 'ink';
import {bindings, type KeyName} from '../keys.js';
import {symbols, useTheme} from '../theme.js';

export interface MenuItem {
	key: KeyName;
	label: string;
}

/** A vertical menu: each item has its own letter, and ↑/↓ + Enter reach the same items. */
export function Menu({items, selected}: {items: readonly MenuItem[]; selected: number}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column">
			{items.map((item, index) => {
				const isSelected = index === selected;
				return (
					<Text key={item.key} color={isSelected ? theme.selected : undefined} bold={isSelected && theme.bold}>
						{isSelected ? symbols.pointer : ' '} {bindings[item.key].label}  {item.label}
					</Text>
				);
			})}
		</Box>
	);
}
